"""Access matrix entries for the catalogue's routes (merged into tests/test_access_matrix.py): the owner's
pages of one shop (its owner only), the shop's public pages, and search."""

import io

from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from naikkelas.catalog.models import ProductPhoto
from tests.matrix import PUBLIC, SHOP_OWNER_ONLY, Entry


class Photo(io.BytesIO):
    """An upload the matrix can send once per role: the test client reads the file each time."""

    name = "foto.png"

    def read(self, *args):
        self.seek(0)
        return super().read(*args)


def _png() -> bytes:
    png = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 80, 40)).save(png, "PNG")
    return png.getvalue()


def _photo(world) -> ProductPhoto:
    # The world has no photo; the owner's delete removes this one, so later roles also meet a missing photo
    # (test_owner_pages.py checks that another owner's delete is refused while the photo exists).
    made = ProductPhoto(product=world["product"], width=40, height=30)
    made.image.save("foto.webp", ContentFile(b"RIFF"), save=False)
    made.thumb.save("foto.webp", ContentFile(b"RIFF"), save=False)
    made.save()
    return made


def _shop(name: str):
    return lambda w: reverse(f"catalog:{name}", args=[w["business"].pk])


def _product(name: str):
    return lambda w: reverse(f"catalog:{name}", args=[w["business"].pk, w["product"].pk])


def _post(url, **data) -> Entry:
    return Entry(url, SHOP_OWNER_ONLY, method="post", data=data)


def _storefront(name: str, with_product: bool = False) -> Entry:
    def url(w) -> str:
        return reverse(f"storefront:{name}", args=[w["business"].slug] + ([w["product"].pk] if with_product else []))

    return Entry(url, PUBLIC)


ENTRIES = {
    "catalog:product_list": Entry(_shop("product_list"), SHOP_OWNER_ONLY),
    "catalog:product_create": Entry(_shop("product_create"), SHOP_OWNER_ONLY),
    "catalog:product_edit": Entry(_product("product_edit"), SHOP_OWNER_ONLY),
    "catalog:product_duplicate": _post(_product("product_duplicate")),
    "catalog:product_stock": _post(_product("product_stock"), stock=5),
    "catalog:product_active": _post(_product("product_active"), active="1"),
    # The confirmation page; its POST (the deletion) is checked role by role in test_product_delete.py.
    "catalog:product_delete": Entry(_product("product_delete"), SHOP_OWNER_ONLY),
    "catalog:photo_add": _post(_product("photo_add"), photo=Photo(_png())),
    "catalog:photo_delete": _post(
        lambda w: reverse("catalog:photo_delete", args=[w["business"].pk, w["product"].pk, _photo(w).pk])
    ),
    "catalog:shop_profile": Entry(_shop("shop_profile"), SHOP_OWNER_ONLY),
    "catalog:search": Entry(lambda w: reverse("catalog:search") + "?q=keripik", PUBLIC),
    "storefront:shop": _storefront("shop"),
    "storefront:product": _storefront("product", with_product=True),
    "storefront:qr_png": _storefront("qr_png"),
    "storefront:qr_svg": _storefront("qr_svg"),
    "storefront:qr_print": _storefront("qr_print"),
}
PUBLIC_KEYS = {key for key, entry in ENTRIES.items() if entry.expect == PUBLIC}
