"""Which cells of a table of businesses are held back, so that no single business can be singled out.

A cell (a region, a sector, a month) is held back when fewer than MINIMUM businesses stand behind it, unless
none do: an empty cell says nothing about anyone. A table that also shows its total would give a lone held-back
cell away (the total less the cells shown), and two small ones their small sum, so more cells are held back,
the smallest first, until what is held back holds at least MINIMUM businesses between at least two cells
(secondary suppression, as statistics offices do). The total is itself a cell of the table above (a province's
regencies add up to the province), held back there by the same rule. Pure: counts in, the keys to hold back
out.
"""

from typing import Collection, Hashable, Mapping

MINIMUM = 5


def held_back(
    counts: Mapping[Hashable, int], *, minimum: int = MINIMUM, already: Collection[Hashable] = ()
) -> set[Hashable]:
    """The keys of `counts` (businesses per cell) whose figures are not to be shown, in charts and exports.
    `already` names cells held back for another reason, which the total must not give away either."""
    hidden = {key for key, count in counts.items() if 0 < count < minimum or key in already}
    if not any(counts[key] for key in hidden):
        return hidden
    shown = sorted((count, str(key), key) for key, count in counts.items() if key not in hidden and count > 0)
    while shown and (sum(counts[key] for key in hidden) < minimum or len(hidden) < 2):
        hidden.add(shown.pop(0)[2])
    return hidden
