"""Small builders for registry tests: people in each role and businesses in known places.

Places used throughout: Caturtunggal (34.04.07.2001) in Depok, Sleman, DI Yogyakarta; Kricak (34.71.01.1001)
in Kota Yogyakarta; Miroto (33.74.01.1001) in Kota Semarang, Jawa Tengah.
"""

import functools
import itertools

from django.contrib.auth.hashers import make_password

from naikkelas.accounts.models import User
from naikkelas.registry.models import Business, Source
from naikkelas.registry.services import business_create

CATURTUNGGAL = "34.04.07.2001"
KRICAK = "34.71.01.1001"
MIROTO = "33.74.01.1001"
SLEMAN = "34.04"
JATENG = "33"
PASSWORD = "sandi-panjang-untuk-uji-1"

_numbers = itertools.count(1)


def make_caturtunggal() -> None:
    """Only the four regions down to Caturtunggal, for a database without the reference data (a transactional
    test after another emptied every table, a subprocess's own database): loading all 91,599 would take
    seconds and prove nothing more."""
    from naikkelas.regions.models import Region

    parent = None
    for code, level, name, zone in (
        ("34", Region.Level.PROVINCE, "Daerah Istimewa Yogyakarta", "Asia/Jakarta"),
        ("34.04", Region.Level.REGENCY, "Kabupaten Sleman", ""),
        ("34.04.07", Region.Level.DISTRICT, "Depok", ""),
        (CATURTUNGGAL, Region.Level.VILLAGE, "Caturtunggal", ""),
    ):
        parent, _ = Region.objects.get_or_create(
            code=code,
            defaults={"level": level, "parent": parent, "name": name, "search_name": name.lower(), "timezone": zone},
        )


def next_phone() -> str:
    return f"+62812{next(_numbers):08d}"


def make_owner(phone: str | None = None, **fields) -> User:
    return User.objects.create_user(phone or next_phone(), role=User.Role.OWNER, **fields)


@functools.cache
def _password_hash() -> str:
    # Hashing is slow on purpose; officers and admins must have a password, so hash it once per run.
    return make_password(PASSWORD)


def _with_password(phone: str, role: str) -> User:
    return User.objects.create(phone=phone, role=role, password=_password_hash())


def make_officer(*region_codes: str) -> User:
    officer = _with_password(next_phone(), User.Role.OFFICER)
    officer.regions.set(region_codes)
    return officer


def make_admin() -> User:
    return _with_password(next_phone(), User.Role.ADMIN)


def make_partner() -> User:
    return _with_password(next_phone(), User.Role.PARTNER)


def make_business(
    *, village: str = CATURTUNGGAL, owner: User | None = None, name: str = "Warung Bu Sri", **fields
) -> Business:
    return business_create(actor=None, name=name, village_code=village, owner=owner, **fields)


def make_imported(*, phone: str, village: str = CATURTUNGGAL, name: str = "Keripik Pak Joko", **fields) -> Business:
    return business_create(actor=None, name=name, village_code=village, phone=phone, source=Source.IMPORT, **fields)
