"""Who may see which region's figures: admins every region; an officer the regions they are assigned (and
everything under them) and the nation's totals; nobody else anything. A region out of reach and a region that
does not exist get the same 404."""

from dataclasses import dataclass

from naikkelas.core.access import not_found
from naikkelas.regions.models import Region
from naikkelas.registry.access import is_registry_staff

NATION = ""


@dataclass(frozen=True)
class Place:
    code: str  # "" for the nation
    name: str
    level: int  # 0 nation, 1 province, 2 regency, 3 district

    @property
    def parent(self) -> str:
        return self.code.rpartition(".")[0] if self.level > 1 else NATION


def scope(actor) -> tuple[str, ...] | None:
    """The region codes under which `actor` sees regions' figures; None for all of them."""
    if actor.is_admin:
        return None
    return tuple(actor.regions.values_list("code", flat=True))


def within(code: str, codes: tuple[str, ...] | None) -> bool:
    """Whether region `code` lies in (or is) one of `codes` (None: everywhere)."""
    return codes is None or any(code == root or code.startswith(root + ".") for root in codes)


def access_place(actor, code: str) -> Place:
    """The region `code` ("" for the nation) whose figures `actor` may see, down to districts."""
    if not is_registry_staff(actor):
        raise not_found()
    if code == NATION:
        return Place(NATION, "Indonesia", 0)
    region = Region.objects.filter(code=code, level__lte=3).values_list("code", "name", "level").first()
    if region is None or not within(code, scope(actor)):
        raise not_found()
    return Place(*region)
