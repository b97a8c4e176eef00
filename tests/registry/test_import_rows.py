"""Judging one row: values a column repeats are remembered without changing any answer."""

import pytest

from naikkelas.registry.importing.headers import find_header
from naikkelas.registry.importing.rows import RowChecker

pytestmark = pytest.mark.django_db

HEADER = ["Nama Usaha", "Kode Wilayah", "Tahun Berdiri", "Punya Rekening"]
VILLAGE = "34.04.07.2001"


@pytest.fixture
def checker():
    _row, header = find_header(iter([(1, HEADER)]))
    return RowChecker(header, roots=None)


def test_check_gives_a_remembered_value_alike_with_or_without_spaces_around_the_cell(checker):
    # given a year and an answer already seen once
    first = checker.check(["Toko Maju", VILLAGE, "2015", "ya"])
    # when the same texts come again, bare and padded
    bare = checker.check(["Toko Jaya", VILLAGE, "2015", "ya"])
    padded = checker.check(["Toko Sari", VILLAGE, " 2015 ", "  ya"])
    # then every row holds the same values
    for row in (first, bare, padded):
        assert (row.founded_year, row.has_bank_account, row.village_id) == (2015, True, VILLAGE)


def test_check_still_refuses_or_skips_cells_never_remembered_after_good_ones(checker):
    # given good values seen first
    assert checker.check(["Toko Maju", VILLAGE, "2015", "ya"]).founded_year == 2015
    # when a later row has a bad year, a formula and an "empty" marker
    bad = checker.check(["Toko Jaya", VILLAGE, "20x5", "=1+1"])
    empty = checker.check(["Toko Sari", VILLAGE, "-", "ya"])
    # then the bad row is refused with both reasons and the marker leaves the year empty
    assert isinstance(bad, list) and len(bad) == 2
    assert "20x5" in bad[0] and "rumus" in bad[1]
    assert empty.founded_year is None and empty.has_bank_account is True
