from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """One Kemendagri administrative region. The dotted code is the key, so "everything in Sleman" is a
    prefix match on the code (`34.04.`) and needs no join up the tree."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Provinsi")
        REGENCY = 2, _("Kabupaten/Kota")
        DISTRICT = 3, _("Kecamatan")
        VILLAGE = 4, _("Desa/Kelurahan")

    code = models.CharField(max_length=13, primary_key=True)
    level = models.PositiveSmallIntegerField(choices=Level.choices, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    name = models.CharField(max_length=120)
    # Lower-cased, prefix-free ("kabupaten sleman" -> "sleman") form used by the picker and the importer.
    search_name = models.CharField(max_length=120, db_index=True)
    # IANA zone; set on provinces only (WIB Asia/Jakarta, WITA Asia/Makassar, WIT Asia/Jayapura).
    timezone = models.CharField(max_length=32, blank=True)
    population = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def province_code(self) -> str:
        return self.code[:2]


class Sector(models.Model):
    """A KBLI 2020 entry, from kategori (a letter) down to kelompok (five digits)."""

    class Level(models.TextChoices):
        KATEGORI = "kategori", _("Kategori")
        GOLONGAN_POKOK = "golongan_pokok", _("Golongan pokok")
        GOLONGAN = "golongan", _("Golongan")
        SUBGOLONGAN = "subgolongan", _("Subgolongan")
        KELOMPOK = "kelompok", _("Kelompok")

    code = models.CharField(max_length=5, primary_key=True)
    level = models.CharField(max_length=16, choices=Level.choices, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    title = models.CharField(max_length=255)
    # The kategori letter (A–U) every code rolls up to, kept so "by sector" groupings need no recursion.
    kategori = models.CharField(max_length=1, db_index=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
