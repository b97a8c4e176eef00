"""Find a village from what a spreadsheet says about it: a Kemendagri code, or names as people write them.

Agencies write "Kab. Sleman", "KABUPATEN SLEMAN", "Sleman"; "Kec. Depok"; "Desa Condong Catur" with a space
the official name lacks; now and then a letter wrong. A name is looked for only under what the row says
above it (the village within its district, within its regency, within its province), so "Depok" the
district of Sleman and "Depok" the city in Jawa Barat never meet. A level the row leaves empty is searched
under every candidate of the level above. A code alone is enough.

The whole tree (91,599 names) is read from the Region table once and kept in memory, so resolving a
million rows never goes back to the database; `Resolver` adds bounded caches per import, because the same
few thousand villages, in a few spellings each, repeat on every row.
"""

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rapidfuzz import fuzz, process

from naikkelas.regions.models import Region
from naikkelas.regions.names import search_form

PROVINCE, REGENCY, DISTRICT, VILLAGE = 1, 2, 3, 4
ROOT = ""
# A typo costs about 8 points of fuzz.ratio on a 12-letter name; two on a short name costs more than 15.
FUZZY_CUTOFF = 85
# When two names score within this margin of each other the spelling does not tell them apart.
FUZZY_MARGIN = 3
# Bounds of one import's caches: answers per row of tokens (a village's spellings mostly share one),
# answers per level, and each level's cell texts to tokens. Sized for a province's 8,500 villages written
# a dozen ways, and bounded so a million rows of fresh spellings cannot grow memory.
ROW_CACHE = 65_536
LEVEL_CACHE = 65_536
TOKEN_CACHE = 65_536

# Short forms people use for provinces, in search form.
PROVINCE_ALIASES = {
    "nad": "11", "sumut": "12", "sumbar": "13", "sumsel": "16", "babel": "19", "bangka belitung": "19",
    "kepri": "21", "dki": "31", "jakarta": "31", "dki jakarta": "31", "jabar": "32", "jateng": "33",
    "diy": "34", "yogyakarta": "34", "di yogyakarta": "34", "jogja": "34", "jogjakarta": "34", "jatim": "35",
    "ntb": "52", "ntt": "53", "kalbar": "61", "kalteng": "62", "kalsel": "63", "kaltim": "64", "kaltara": "65",
    "sulut": "71", "sulteng": "72", "sulsel": "73", "sultra": "74", "sulbar": "76", "malut": "82",
    "pabar": "92", "papua barat daya": "96",
}
LEVEL_NAMES = {
    PROVINCE: gettext_lazy("Provinsi"),
    REGENCY: gettext_lazy("Kabupaten/kota"),
    DISTRICT: gettext_lazy("Kecamatan"),
    VILLAGE: gettext_lazy("Desa/kelurahan"),
}
_DIGITS = re.compile(r"\d+")
# "Kab.Sleman", "Kec.Depok": the abbreviation glued to the name hides both from search_form.
_GLUED_PREFIX = re.compile(r"^\s*(kab|kec|kel|ds|prov|kota|adm)\.(?=\S)", re.IGNORECASE)
_CODE_SHAPES = {2: (2,), 4: (2, 2), 6: (2, 2, 2), 10: (2, 2, 2, 4)}


def regency_kind(raw: str) -> str:
    """'kota' or 'kab' when the text says which; '' when it does not ("Sleman")."""
    text = raw.strip().lower()
    if text.startswith("kota"):
        return "kota"
    if text.startswith(("kab", "kabupaten")):
        return "kab"
    return ""


def normalize_code(raw: str) -> str:
    """'3404072001', '34.04.07.2001', '34 04 07 2001' -> '34.04.07.2001'; '' when it cannot be a code."""
    parts = _DIGITS.findall(raw or "")
    if not parts:
        return ""
    if len(parts) == 1:
        digits = parts[0]
        shape = _CODE_SHAPES.get(len(digits))
        if shape is None:
            return ""
        parts, start = [], 0
        for width in shape:
            parts.append(digits[start : start + width])
            start += width
    return ".".join(parts)


@dataclass(frozen=True)
class Match:
    """A resolved village code, or the reason there is none (in Indonesian, for the officer)."""

    code: str = ""
    error: str = ""


class RegionMatcher:
    """The region tree in memory, indexed for lookups by code and by (parent, name)."""

    def __init__(self, rows: Iterable[tuple[str, int, str | None, str, str]]):
        self.level: dict[str, int] = {}
        self.name: dict[str, str] = {}
        self.children: dict[str, list[str]] = {}
        # parent -> search name -> codes; and the same keyed without spaces ("condong catur" = "condongcatur")
        self.by_name: dict[str, dict[str, list[str]]] = {}
        self.by_compact: dict[str, dict[str, list[str]]] = {}
        self.kind: dict[str, str] = {}
        for code, level, parent, name, key in rows:
            parent = parent or ROOT
            self.level[code] = level
            self.name[code] = name
            self.children.setdefault(parent, []).append(code)
            self.by_name.setdefault(parent, {}).setdefault(key, []).append(code)
            self.by_compact.setdefault(parent, {}).setdefault(key.replace(" ", ""), []).append(code)
            if level == REGENCY:
                self.kind[code] = regency_kind(name)

    @classmethod
    def from_database(cls) -> "RegionMatcher":
        rows = Region.objects.values_list("code", "level", "parent_id", "name", "search_name").iterator(
            chunk_size=10_000
        )
        return cls(rows)

    def __len__(self) -> int:
        return len(self.level)

    # -- one level ---------------------------------------------------------------------------------------

    def _exact(self, parents: list[str], key: str) -> list[str]:
        found = []
        for parent in parents:
            found += self.by_name.get(parent, {}).get(key, ())
        if not found:
            compact = key.replace(" ", "")
            for parent in parents:
                found += self.by_compact.get(parent, {}).get(compact, ())
        return found

    def _fuzzy(self, parents: list[str], key: str) -> list[str]:
        choices: dict[str, list[str]] = {}
        for parent in parents:
            for name, codes in self.by_name.get(parent, {}).items():
                choices.setdefault(name, []).extend(codes)
        best = process.extract(key, list(choices), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=2)
        if not best:
            return []
        if len(best) == 2 and best[0][1] - best[1][1] < FUZZY_MARGIN:
            return choices[best[0][0]] + choices[best[1][0]]
        return list(choices[best[0][0]])

    def token(self, raw: str, level: int):
        """All that `find` reads of a name at `level`: the search form (with "kota"/"kab" for a regency,
        the code for a province alias). Names with the same token find the same codes, so answers are
        kept per token and "Kab. Sleman", "KABUPATEN SLEMAN" and "Kabupaten Sleman" share one."""
        raw = _GLUED_PREFIX.sub(r"\1. ", raw)
        key = search_form(raw)
        if level == PROVINCE:
            key = key.removeprefix("di ").strip()
            alias = PROVINCE_ALIASES.get(key) or PROVINCE_ALIASES.get(search_form(raw.replace(".", "")))
            if alias and alias in self.level:
                return (alias,)
            return key
        if level == REGENCY:
            return (key, regency_kind(raw))
        return key

    def find_token(self, parents: list[str], token, level: int) -> list[str]:
        """Codes under `parents` for a name's `token`: exact matches, else by spelling."""
        kind = ""
        if level == PROVINCE and type(token) is tuple:
            return [token[0]]
        if level == REGENCY:
            token, kind = token
        if not token:
            return []
        found = self._exact(parents, token) or self._fuzzy(parents, token)
        if kind:
            found = [code for code in found if self.kind.get(code) == kind] or found
        return found

    def find(self, parents: list[str], raw: str, level: int) -> list[str]:
        """Codes under `parents` whose name matches `raw` exactly (after normalising), else by spelling."""
        return self.find_token(parents, self.token(raw, level), level)

    # -- a whole row -------------------------------------------------------------------------------------

    def _expand(self, parents: list[str], roots: tuple[str, ...]) -> list[str]:
        """The children of `parents`, keeping only those inside (or containing) one of `roots`."""
        kids = [code for parent in parents for code in self.children.get(parent, ())]
        if not roots:
            return kids
        return [code for code in kids if _overlaps(code, roots)]

    def _describe(self, codes: list[str]) -> str:
        return ", ".join(self.name[code] for code in codes[:3]) + (" …" if len(codes) > 3 else "")

    def resolve(
        self,
        *,
        code: str = "",
        province: str = "",
        regency: str = "",
        district: str = "",
        village: str = "",
        roots: tuple[str, ...] = (),
        memo: dict | None = None,
        tokens: tuple | None = None,
    ) -> Match:
        """The village the row means. `roots` (region codes) narrow levels the row leaves empty, so an
        officer of Sleman may omit the province and regency columns; named levels are taken as written.
        `memo` keeps each level's answers between calls (one import's rows repeat the same places);
        `tokens`, when the caller has them, are the four names' tokens (None for an empty one)."""
        memo = {} if memo is None else memo
        start_level, parents = PROVINCE, (ROOT,)
        normalized = normalize_code(code)
        if normalized:
            level = self.level.get(normalized)
            if level == VILLAGE:
                return Match(code=normalized)
            if level is not None:
                start_level, parents = level + 1, (normalized,)
            elif not village:
                return Match(error=_("Kode wilayah %(code)s tidak dikenal.") % {"code": code.strip()})
        elif code.strip() and not village:
            return Match(error=_("Kode wilayah %(code)s tidak dikenal.") % {"code": code.strip()})
        if not village.strip():
            return Match(error=_("Desa/kelurahan kosong: isi kode wilayah atau nama desa/kelurahan."))
        given = {PROVINCE: province, REGENCY: regency, DISTRICT: district, VILLAGE: village}
        for level in range(start_level, VILLAGE + 1):
            raw = given[level].strip()
            if tokens is not None:
                token = tokens[level - 1]
            else:
                token = self.token(raw, level) if raw else None
            key = (parents, token, level)
            found = memo.get(key)
            if found is None:
                if token is not None:
                    found = tuple(self.find_token(list(parents), token, level))
                else:
                    found = tuple(self._expand(list(parents), roots))
                if len(memo) >= LEVEL_CACHE:
                    memo.clear()
                memo[key] = found
            if not found:
                if not raw:
                    return Match(error=_("Wilayah ini di luar wilayah tugas Anda."))
                where = self._describe(list(parents)) if parents != (ROOT,) else ""
                if where and len(parents) <= 3:
                    message = _("%(level)s '%(name)s' tidak ditemukan di %(where)s.")
                else:
                    message = _("%(level)s '%(name)s' tidak ditemukan.")
                return Match(error=message % {"level": LEVEL_NAMES[level], "name": raw, "where": where})
            parents = found
        if len(parents) > 1:
            above = self._describe(list(dict.fromkeys(code.rsplit(".", 1)[0] for code in parents)))
            return Match(
                error=_(
                    "Desa/kelurahan '%(name)s' ada lebih dari satu (di %(where)s); lengkapi kecamatan atau "
                    "kabupaten/kota, atau pakai kode wilayah."
                )
                % {"name": village.strip(), "where": above}
            )
        return Match(code=parents[0])


def _overlaps(code: str, roots: tuple[str, ...]) -> bool:
    for root in roots:
        if code == root or code.startswith(root + ".") or root.startswith(code + "."):
            return True
    return False


_lock = threading.Lock()
_matcher: RegionMatcher | None = None


def region_matcher() -> RegionMatcher:
    """The process-wide matcher, read from the database on first use (about a second)."""
    global _matcher
    with _lock:
        if _matcher is None or not len(_matcher):
            _matcher = RegionMatcher.from_database()
        return _matcher


def forget_region_matcher() -> None:
    """Drop the in-memory tree (after the Region table is reloaded with new codes)."""
    global _matcher
    with _lock:
        _matcher = None


class Resolver:
    """One import's view of the matcher: the officer's regions as `roots`, and bounded caches: each cell's
    token per level (a dict look-up instead of normalising the text again), the answer per row of tokens
    (so the dozen ways a file spells one village share one answer), and the matcher's per-level answers
    (so "Kab. Sleman" and "Sleman" share the districts found under Sleman). Only villages found are kept
    per row: a refusal quotes the cells as written, so it is worked out again each time."""

    def __init__(self, matcher: RegionMatcher | None = None, *, roots: Iterable[str] = ()):
        self.matcher = matcher or region_matcher()
        self.roots = tuple(roots)
        self.memo: dict = {}
        self.codes: dict[str, str] = {}
        self.tokens: tuple[dict, ...] = ({}, {}, {}, {})
        self.answers: dict[tuple, Match] = {}

    def resolve(self, code: str, province: str, regency: str, district: str, village: str) -> Match:
        normalized = self.codes.get(code)
        if normalized is None:
            normalized = normalize_code(code)
            _remember(self.codes, code, normalized, TOKEN_CACHE)
        provinces, regencies, districts, villages = self.tokens
        key = (
            normalized,
            provinces[province] if province in provinces else self._token(province, PROVINCE),
            regencies[regency] if regency in regencies else self._token(regency, REGENCY),
            districts[district] if district in districts else self._token(district, DISTRICT),
            villages[village] if village in villages else self._token(village, VILLAGE),
        )
        answer = self.answers.get(key)
        if answer is None:
            answer = self.matcher.resolve(
                code=code,
                province=province,
                regency=regency,
                district=district,
                village=village,
                roots=self.roots,
                memo=self.memo,
                tokens=key[1:],
            )
            if not answer.error:
                _remember(self.answers, key, answer, ROW_CACHE)
        return answer

    def _token(self, raw: str, level: int):
        text = raw.strip()
        token = self.matcher.token(text, level) if text else None
        _remember(self.tokens[level - 1], raw, token, TOKEN_CACHE)
        return token


def _remember(cache: dict, key, value, bound: int) -> None:
    # Emptied when full rather than kept in least-recently-used order: cheaper per row, and a file that
    # keeps bringing new names costs a re-normalisation now and then, never memory.
    if len(cache) >= bound:
        cache.clear()
    cache[key] = value
