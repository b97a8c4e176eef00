"""Reads of the region tree for the picker, the search box and region-scoped lists.

Regions are public reference data, the same for everyone, so these reads take no actor.
"""

from collections.abc import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import connection
from django.db.models import F, Q, QuerySet

from naikkelas.regions.models import Region, Sector
from naikkelas.regions.names import search_form

SEARCH_MIN_CHARS = 3
SEARCH_LIMIT = 20
# A query of many words is split into "village name" + "names of the places above it"; beyond a few words
# the number of splits only slows the search down without finding anything new.
SEARCH_MAX_WORDS = 4
_ANCESTOR_PATHS = ("parent__search_name", "parent__parent__search_name", "parent__parent__parent__search_name")


def under_regions_q(codes: Iterable[str], *, field: str) -> Q:
    """A filter for rows whose region code `field` lies in (or is) one of `codes`, at any level. `field` is a
    path ending in a region code, e.g. "village__code" (Django reads it from the foreign key, with no join).

    Codes are dotted, so "inside Sleman (34.04)" is "equal to 34.04 or starting with 34.04." — a prefix
    match that needs no join up the tree. Matches nothing when `codes` is empty.
    """
    q = Q(pk__in=[])
    for code in codes:
        q |= _region_and_below_q(field, code)
    return q


def _region_and_below_q(field: str, code: str) -> Q:
    if connection.vendor == "sqlite":
        # SQLite's LIKE ignores case, so it cannot use the (case-sensitive) index on the code; a range can.
        # Codes are digits and dots and SQLite compares bytes, so code <= x < code + "/" holds exactly for
        # the code itself and the codes starting with code + "." ("/" is the byte after "."). One range,
        # not an OR, also lets SQLite walk the (village, name) index in order and stop after a page.
        # (Not on PostgreSQL: a linguistic collation orders punctuation differently, and there Django's
        # varchar_pattern_ops index already serves LIKE 'prefix%'.)
        return Q(**{f"{field}__gte": code, f"{field}__lt": f"{code}/"})
    return Q(**{field: code}) | Q(**{f"{field}__startswith": f"{code}."})


def starts_with_q(field: str, prefix: str) -> Q:
    """`field` starts with `prefix` (case-sensitive), in a form each database answers from an index."""
    if connection.vendor == "sqlite" and prefix:
        # Byte order: every string starting with "abc" lies in ["abc", "abd").
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix[:-1] + chr(ord(prefix[-1]) + 1)})
    return Q(**{f"{field}__startswith": prefix})


def region_children(parent_code: str | None) -> QuerySet[Region]:
    """The provinces when `parent_code` is empty, otherwise the direct children of that region, by name."""
    regions = Region.objects.only("code", "name", "level", "parent_id")
    if not parent_code:
        return regions.filter(level=Region.Level.PROVINCE).order_by("name")
    return regions.filter(parent_id=parent_code).order_by("name")


def region_get(code: str) -> Region | None:
    if not code:
        return None
    return Region.objects.select_related("parent__parent__parent").filter(code=code).first()


def village_zone(village_code: str | None) -> ZoneInfo:
    """The IANA zone (WIB, WITA, WIT) of the province a village lies in; the server's zone when unknown."""
    province = region_get(village_code[:2]) if village_code else None
    name = (province.timezone if province is not None else "") or settings.TIME_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def region_path(region: Region | None) -> list[Region]:
    """[province, regency, district, village] down to `region` (its ancestors must be select_related)."""
    path = []
    while region is not None:
        path.append(region)
        region = region.parent
    return path[::-1]


def short_name(region: Region) -> str:
    """How a place is said in a list: "Kabupaten Sleman" -> "Sleman" (a "Kota" keeps its word, so Kota Bogor
    and Kabupaten Bogor stay apart); the two special provinces take their usual abbreviations."""
    name = region.name
    if region.level == Region.Level.REGENCY and name.startswith("Kabupaten "):
        return name.removeprefix("Kabupaten ")
    if region.level == Region.Level.PROVINCE:
        return name.replace("Daerah Khusus Ibukota ", "DKI ").replace("Daerah Istimewa ", "DI ")
    return name


def region_label(region: Region | None) -> str:
    """"Caturtunggal, Depok, Sleman, DI Yogyakarta": the place first, then what it lies in."""
    return ", ".join(short_name(r) for r in reversed(region_path(region)))


def region_search(query: str, *, limit: int = SEARCH_LIMIT) -> list[Region]:
    """Villages matching what a person types: "caturtunggal", "Catur", or "caturtunggal sleman" (the village
    name followed by the name of its district, regency or province). Best first: exact names, then names
    starting with the words, then names containing them. Fewer than three characters find nothing."""
    text = search_form(query)
    if len(text.replace(" ", "")) < SEARCH_MIN_CHARS:
        return []
    words = text.split()[:SEARCH_MAX_WORDS]
    # "level + 0" rather than "level": the same test, but one the planner cannot answer from the index on
    # level (which would read all 83,762 villages), so it takes the index on search_name instead.
    villages = (
        Region.objects.alias(level_value=F("level") + 0)
        .filter(level_value=Region.Level.VILLAGE)
        .select_related("parent__parent__parent")
    )
    found: dict[str, Region] = {}

    def take(queryset):
        for region in queryset.order_by("search_name", "code")[: limit - len(found)]:
            found.setdefault(region.code, region)

    whole = " ".join(words)
    take(villages.filter(search_name=whole))
    if len(found) < limit:
        take(villages.filter(starts_with_q("search_name", whole)).exclude(code__in=list(found)))
    # "caturtunggal depok": try each split into a village name and the places above it.
    for cut in range(len(words) - 1, 0, -1):
        if len(found) >= limit:
            break
        head, tail = " ".join(words[:cut]), words[cut:]
        narrowed = villages.filter(starts_with_q("search_name", head))
        for word in tail:
            above = Q()
            for path in _ANCESTOR_PATHS:
                above |= Q(**{f"{path}__contains": word})
            narrowed = narrowed.filter(above)
        take(narrowed.exclude(code__in=list(found)))
    if len(found) < limit and len(whole) >= SEARCH_MIN_CHARS + 1:
        take(villages.filter(search_name__contains=whole).exclude(code__in=list(found)))
    return list(found.values())[:limit]


def sector_kelompok(code: str) -> Sector | None:
    """The five-digit KBLI entry with this code, if there is one."""
    if not code:
        return None
    return Sector.objects.filter(code=code, level=Sector.Level.KELOMPOK).first()


def sector_kategori() -> list[Sector]:
    """The 21 KBLI kategori (A to U), the broad sectors officers filter by."""
    return list(Sector.objects.filter(level=Sector.Level.KATEGORI).order_by("code"))


def sector_search(query: str, *, limit: int = 10) -> list[Sector]:
    """KBLI kelompok (five-digit) entries whose title contains every word typed, e.g. "bengkel las"."""
    words = [w for w in search_form(query).split() if len(w) >= 3][:SEARCH_MAX_WORDS]
    if not words:
        return []
    sectors = Sector.objects.filter(level=Sector.Level.KELOMPOK)
    for word in words:
        sectors = sectors.filter(title__icontains=word)
    return list(sectors.order_by("code")[:limit])
