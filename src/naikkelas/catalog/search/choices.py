"""Choices for the search page's filters: regions down to regency level, and KBLI kategori letters.

Reference data changes only when it is loaded again, so each process reads it once and keeps it; an empty
read (tables not loaded yet) is not kept."""

from naikkelas.regions.models import Region, Sector

_cache: dict[str, list] = {}


def _kept(key: str, read) -> list:
    if not _cache.get(key):
        _cache[key] = list(read())
    return _cache[key]


def _provinces() -> list[tuple[str, str]]:
    return _kept(
        "provinces",
        lambda: Region.objects.filter(level=Region.Level.PROVINCE).order_by("name").values_list("code", "name"),
    )


def _regencies(province: str) -> list[tuple[str, str]]:
    return _kept(
        f"regencies:{province}",
        lambda: Region.objects.filter(parent_id=province).order_by("name").values_list("code", "name"),
    )


def region_choices(selected: str = "") -> list[tuple[str, str]]:
    """The provinces; under the province of `selected`, its regencies and cities (indented); and `selected`
    itself when it is deeper still (a district or village from a link). One list, so it works as a single
    <select> without JavaScript: choose a province, search, and its regencies appear."""
    province = selected[:2] if selected else ""
    choices: list[tuple[str, str]] = []
    for code, name in _provinces():
        choices.append((code, name))
        if code == province:
            choices += [(child, f"— {child_name}") for child, child_name in _regencies(code)]
    listed = {code for code, _ in choices}
    if selected and selected not in listed:
        region = Region.objects.filter(code=selected).values_list("code", "name").first()
        if region is not None:
            choices.append((region[0], f"— — {region[1]}"))
    return choices


def kategori_choices() -> list[tuple[str, str]]:
    """KBLI 2020 kategori letters with their titles."""
    return _kept(
        "kategori", lambda: Sector.objects.filter(level=Sector.Level.KATEGORI).order_by("code").values_list("code", "title")
    )
