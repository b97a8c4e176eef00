"""Formula cells both ways: refused on the way in (test_import_junk.py), escaped on the way out (here)."""

import datetime
import decimal

import pytest

from naikkelas.core.spreadsheets import escape_cell, escape_row


@pytest.mark.parametrize(
    "value", ["=cmd|' /C calc'!A0", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1,1)", "\t=1+1", "\r=1+1"]
)
def test_escape_cell_makes_formula_text_plain_text(value):
    assert escape_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Warung Bu Sri", "", "3404********0001", "Jl. A = B"])
def test_escape_cell_leaves_ordinary_text_alone(value):
    assert escape_cell(value) == value


@pytest.mark.parametrize("value", [None, -5, 0, 3.5, decimal.Decimal("-1.5"), True, datetime.date(2024, 1, 2)])
def test_escape_cell_leaves_numbers_dates_and_empty_cells_alone(value):
    assert escape_cell(value) == value


def test_escape_cell_escapes_the_text_of_other_objects():
    class Name:
        def __str__(self):
            return "=HYPERLINK(\"x\")"

    assert escape_cell(Name()) == "'=HYPERLINK(\"x\")"


def test_escape_row_escapes_every_cell():
    assert escape_row(["=1", 2, "+62 812"]) == ["'=1", 2, "'+62 812"]
