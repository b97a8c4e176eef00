"""Choices for the search page's filters: regions down to regency level, and KBLI kategori letters."""

from naikkelas.regions.models import Region, Sector


def region_choices(selected: str = "") -> list[tuple[str, str]]:
    """The provinces; under the province of `selected`, its regencies and cities (indented); and `selected`
    itself when it is deeper still (a district or village from a link). One list, so it works as a single
    <select> without JavaScript: choose a province, search, and its regencies appear."""
    province = selected[:2] if selected else ""
    choices: list[tuple[str, str]] = []
    for code, name in Region.objects.filter(level=Region.Level.PROVINCE).order_by("name").values_list("code", "name"):
        choices.append((code, name))
        if code == province:
            regencies = Region.objects.filter(parent_id=code).order_by("name").values_list("code", "name")
            choices += [(child, f"— {child_name}") for child, child_name in regencies]
    listed = {code for code, _ in choices}
    if selected and selected not in listed:
        region = Region.objects.filter(code=selected).values_list("code", "name").first()
        if region is not None:
            choices.append((region[0], f"— — {region[1]}"))
    return choices


def kategori_choices() -> list[tuple[str, str]]:
    """KBLI 2020 kategori letters with their titles."""
    return list(
        Sector.objects.filter(level=Sector.Level.KATEGORI).order_by("code").values_list("code", "title")
    )
