"""Writes to the registry. Keyword-only arguments; each call is one transaction."""

from django.db import transaction
from django.utils.text import slugify

from naikkelas.core import crypto
from naikkelas.core.audit import audit_record
from naikkelas.registry.models import Business, Source
from naikkelas.registry.sizeclass import size_class


def unique_slug(name: str, *, taken: set[str] | None = None) -> str:
    """A URL-safe slug for a shop name, suffixed -2, -3... when taken (in the database or in `taken`)."""
    base = (slugify(name) or "usaha")[:70].strip("-") or "usaha"
    candidate, n = base, 1
    while (taken is not None and candidate in taken) or Business.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    if taken is not None:
        taken.add(candidate)
    return candidate


def nik_fields(nik: str) -> dict:
    """The three stored forms of an (already validated) NIK; empty strings when there is none."""
    if not nik:
        return {"nik_ciphertext": "", "nik_hash": "", "nik_masked": ""}
    return {"nik_ciphertext": crypto.encrypt(nik), "nik_hash": crypto.keyed_hash(nik), "nik_masked": crypto.mask(nik)}


@transaction.atomic
def business_create(
    *,
    actor,
    name: str,
    village_code: str,
    owner=None,
    sector_code: str | None = None,
    nik: str = "",
    source: str = Source.SIGNUP,
    **fields,
) -> Business:
    """Create a business. `fields` are other Business fields (phone, nib, capital, annual_sales, ...)."""
    business = Business(
        name=name.strip(),
        slug=unique_slug(name),
        owner=owner,
        village_id=village_code,
        sector_id=sector_code or None,
        source=source,
        **nik_fields(nik),
        **fields,
    )
    business.size_class = size_class(capital=business.capital, annual_sales=business.annual_sales)
    business.full_clean(exclude=["slug", "nik_ciphertext"])
    business.save()
    audit_record(actor=actor, action="business.create", obj=business, changes={"source": source})
    return business
