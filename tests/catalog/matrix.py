"""Access matrix entries for this app's routes (merged into tests/test_access_matrix.py)."""

from tests.matrix import Entry  # noqa: F401

ENTRIES: dict = {}
PUBLIC_KEYS: set[str] = set()


# ---- storefront: a shop's own pages, open to everyone once the shop is public ----
def _public_shop_slug(world) -> str:
    # The world's products are written straight to the database, which opens no shop; a shop becomes public
    # when its business has a ShopProfile.
    from naikkelas.catalog.models import ShopProfile

    ShopProfile.objects.get_or_create(business=world["business"])
    return world["business"].slug


def _storefront_entry(name: str, with_product: bool = False) -> Entry:
    from django.urls import reverse

    from tests.matrix import PUBLIC

    def url(world) -> str:
        args = [_public_shop_slug(world)] + ([world["product"].pk] if with_product else [])
        return reverse(f"storefront:{name}", args=args)

    return Entry(url, PUBLIC)


ENTRIES.update({
    "storefront:shop": _storefront_entry("shop"),
    "storefront:product": _storefront_entry("product", with_product=True),
    "storefront:qr_png": _storefront_entry("qr_png"),
    "storefront:qr_svg": _storefront_entry("qr_svg"),
    "storefront:qr_print": _storefront_entry("qr_print"),
})
PUBLIC_KEYS |= {"storefront:shop", "storefront:product", "storefront:qr_png", "storefront:qr_svg", "storefront:qr_print"}


# ---- the owner's catalogue: one shop's pages, its owner's only ----
def _owner_entries() -> dict:
    import io

    from django.core.files.base import ContentFile
    from django.urls import reverse
    from PIL import Image

    from naikkelas.catalog.models import ProductPhoto
    from tests.matrix import LOGIN, NOT_FOUND, OK, same_for_all

    shop_owner_only = {**same_for_all(NOT_FOUND), "anonymous": LOGIN, "owner": OK}
    png = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(png, "PNG")

    class Photo(io.BytesIO):
        """An upload the matrix can send once per role: the test client reads the file each time."""

        name = "foto.png"

        def read(self, *args):
            self.seek(0)
            return super().read(*args)

    def photo(world) -> ProductPhoto:
        # The world has no photo; the owner's delete removes this one, so later roles also meet a missing
        # photo (test_owner_pages.py checks that another owner's delete is refused while the photo exists).
        made = ProductPhoto(product=world["product"], width=40, height=30)
        made.image.save("foto.webp", ContentFile(b"RIFF"), save=False)
        made.thumb.save("foto.webp", ContentFile(b"RIFF"), save=False)
        made.save()
        return made

    def shop(name: str):
        return lambda w: reverse(f"catalog:{name}", args=[w["business"].pk])

    def product(name: str):
        return lambda w: reverse(f"catalog:{name}", args=[w["business"].pk, w["product"].pk])

    def post(url, **data) -> Entry:
        return Entry(url, shop_owner_only, method="post", data=data)

    return {
        "catalog:product_list": Entry(shop("product_list"), shop_owner_only),
        "catalog:product_create": Entry(shop("product_create"), shop_owner_only),
        "catalog:product_edit": Entry(product("product_edit"), shop_owner_only),
        "catalog:product_duplicate": post(product("product_duplicate")),
        "catalog:product_stock": post(product("product_stock"), stock=5),
        "catalog:product_active": post(product("product_active"), active="1"),
        "catalog:photo_add": post(product("photo_add"), photo=Photo(png.getvalue())),
        "catalog:photo_delete": post(
            lambda w: reverse("catalog:photo_delete", args=[w["business"].pk, w["product"].pk, photo(w).pk])
        ),
        "catalog:shop_profile": Entry(shop("shop_profile"), shop_owner_only),
    }


ENTRIES.update(_owner_entries())

# ---- search: public, the same page for everyone ----
from django.urls import reverse as _reverse  # noqa: E402

from tests.matrix import PUBLIC as _PUBLIC  # noqa: E402

ENTRIES["catalog:search"] = Entry(url=lambda world: _reverse("catalog:search") + "?q=keripik", expect=_PUBLIC)
PUBLIC_KEYS.add("catalog:search")
