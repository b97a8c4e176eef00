"""What a business sells and how its shop presents itself."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Product(models.Model):
    business = models.ForeignKey("registry.Business", on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("nama produk"), max_length=120)
    description = models.TextField(_("keterangan"), max_length=2000, blank=True)
    price = models.BigIntegerField(_("harga (Rp)"))  # whole rupiah
    # Units on hand. Never below zero: the constraint is the last line behind the conditional updates in
    # orders.services, so no race can oversell.
    stock = models.IntegerField(_("stok"), default=0)
    made_to_order = models.BooleanField(_("dibuat sesuai pesanan"), default=False)  # stock is not counted
    unit = models.CharField(_("satuan"), max_length=20, default="pcs")
    weight_grams = models.PositiveIntegerField(_("berat (gram)"), null=True, blank=True)
    category = models.CharField(_("kategori"), max_length=60, blank=True)
    is_active = models.BooleanField(_("tampil di toko"), default=True)
    # Deleted by the owner: kept (orders refer to it, partners must hear of the deletion) but shown nowhere.
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Set on every change, bulk updates included (partners sync by it: see partners/api).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("produk")
        verbose_name_plural = _("produk")
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="catalog_product_stock_not_negative"),
            models.CheckConstraint(condition=Q(price__gte=0), name="catalog_product_price_not_negative"),
        ]
        indexes = [
            models.Index(fields=["business", "is_active", "name"]),
            models.Index(fields=["updated_at", "id"], name="catalog_product_changed"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def in_stock(self) -> bool:
        return self.made_to_order or self.stock > 0


def _photo_path(instance, filename: str) -> str:
    return f"produk/{instance.product.business_id}/{uuid.uuid4().hex}{filename[-10:]}"


class ProductPhoto(models.Model):
    """A photo as stored: re-encoded to WebP (EXIF gone), a large version and a thumbnail."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=_photo_path, max_length=200)
    thumb = models.FileField(upload_to=_photo_path, max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]


class ShopProfile(models.Model):
    """The storefront's own settings: the words under the name, opening hours, where to find it."""

    business = models.OneToOneField(
        "registry.Business", on_delete=models.CASCADE, primary_key=True, related_name="shop"
    )
    tagline = models.CharField(_("slogan singkat"), max_length=160, blank=True)
    # [{"days": ["Mo", "Tu", ...], "opens": "08:00", "closes": "17:00"}, ...]: schema.org day codes, so
    # the JSON-LD openingHoursSpecification is written straight from it.
    opening_hours = models.JSONField(_("jam buka"), default=list, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accepting_orders = models.BooleanField(_("menerima pesanan"), default=True)
    updated_at = models.DateTimeField(auto_now=True)


class SearchEntry(models.Model):
    """One thing search can find: an active product of a public shop, or a public shop. Written only by
    catalog.search (index_products, index_business, index_rebuild), which also keeps the engine's own index
    (catalog.search.schema) in step.

    Texts are stored as normalized words (catalog.search.text): the product's or shop's name in `title`;
    in `body` what else describes it (description, category, shop name, the names of its village, district,
    regency and province); in `tags` the filter tokens (kind, region codes, KBLI codes), each mixing letters
    and digits so that no word of a text can ever equal one.
    """

    class Kind(models.IntegerChoices):
        PRODUCT = 1, _("produk")
        SHOP = 2, _("toko")

    # The product's id, or minus the business's id for a shop: an entry's id follows from what it stands
    # for, so both engines number (and so order) the same data the same way, and rebuilding changes nothing.
    id = models.BigIntegerField(primary_key=True)
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    # No database constraint: deleting a business or product must not wait on (or cascade into) the index;
    # index_products / index_business remove the entry.
    business = models.ForeignKey(
        "registry.Business", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    price = models.BigIntegerField(null=True)
    title = models.TextField()
    body = models.TextField()
    tags = models.TextField()


class SearchTerm(models.Model):
    """A stem that occurs in some entry's title or body, with the number of entries it occurs in. Typo
    correction picks from these, and "did you mean" shows `word`, a word that has this stem."""

    term = models.CharField(max_length=40, primary_key=True)
    df = models.IntegerField()
    word = models.CharField(max_length=40)


class SearchState(models.Model):
    """One row. `vocabulary_version` changes whenever a stem appears in or leaves SearchTerm, so a process
    knows when its in-memory copy of the vocabulary (catalog.search.typos) is out of date."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    vocabulary_version = models.CharField(max_length=32, default="")
