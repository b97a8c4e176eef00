"""One cell into one value: money, phones, NIK, NIB, years, yes/no, channels."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st
from stdnum.id import nik as stdnum_nik

from naikkelas.accounts.phones import normalize_phone
from naikkelas.registry.importing import values
from naikkelas.registry.importing.values import Invalid


@pytest.mark.parametrize(
    "text, rupiah",
    [
        ("1500000", 1_500_000),
        ("Rp 1.500.000", 1_500_000),
        ("Rp1.500.000,00", 1_500_000),
        ("Rp. 1.500.000,-", 1_500_000),
        ("IDR 1,500,000", 1_500_000),
        ("1,5 juta", 1_500_000),
        ("1.5 jt", 1_500_000),
        ("750rb", 750_000),
        ("1.500 juta", 1_500_000_000),
        ("2 M", 2_000_000_000),
        ("2,5 miliar", 2_500_000_000),
        ("1500000.5", 1_500_001),
    ],
)
def test_parse_money_reads_rupiah_the_ways_agencies_write_it(text, rupiah):
    assert values.parse_money(text) == rupiah


@pytest.mark.parametrize("text", ["banyak", "-5", "Rp", "1.2.3,4,5", "10 dolar", "99999999999 juta"])
def test_parse_money_rejects_what_is_not_an_amount_with_an_indonesian_reason(text):
    with pytest.raises(Invalid) as error:
        values.parse_money(text)
    assert "uang" in str(error.value)


def test_parse_annual_sales_counts_a_monthly_figure_twelve_times():
    assert values.parse_annual_sales("3 jt/bulan") == 36_000_000
    assert values.parse_annual_sales("3000000", monthly_column=True) == 36_000_000
    assert values.parse_annual_sales("36 juta per tahun", monthly_column=True) == 36_000_000


@pytest.mark.parametrize(
    "text",
    ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "81234567890", "(0812) 3456 7890", "0812.3456.7890"],
)
def test_parse_phone_normalises_indonesian_mobiles_to_e164(text):
    assert values.parse_phone(text) == "+6281234567890"


def test_parse_phone_takes_the_first_of_two_numbers_in_one_cell():
    assert values.parse_phone("0812-3456-7890 / 0856-1111-2222") == "+6281234567890"


def test_parse_phone_accepts_landlines_through_phonenumbers():
    assert values.parse_phone("0274-512345") == normalize_phone("0274-512345")


@pytest.mark.parametrize("text", ["12345", "abc", "0812"])
def test_parse_phone_rejects_non_numbers(text):
    with pytest.raises(Invalid) as error:
        values.parse_phone(text)
    assert "Nomor HP" in str(error.value)


@given(
    prefix=st.sampled_from(["0", "62", "+62", "+62 ", ""]),
    national=st.text(alphabet="0123456789", min_size=8, max_size=13).map(lambda d: "8" + d),
)
def test_parse_phone_agrees_with_normalize_phone_on_every_mobile_shape(prefix, national):
    text = prefix + national
    try:
        expected = normalize_phone(text)
    except ValidationError:
        expected = None
    try:
        got = values.parse_phone(text)
    except Invalid:
        got = None
    assert got == expected


@given(st.text(alphabet="0123456789", min_size=16, max_size=16))
def test_nik_is_valid_agrees_with_python_stdnum(nik):
    assert values.nik_is_valid(nik) == stdnum_nik.is_valid(nik)


@given(
    place=st.sampled_from(["3404", "3471", "3174", "1101", "9999", "0000", "3301"]),
    district=st.integers(0, 99),
    day=st.integers(0, 79),
    month=st.integers(0, 13),
    year=st.integers(0, 99),
    serial=st.integers(0, 9999),
)
def test_nik_is_valid_agrees_with_python_stdnum_on_plausible_numbers(place, district, day, month, year, serial):
    nik = f"{place}{district:02d}{day:02d}{month:02d}{year:02d}{serial:04d}"
    assert values.nik_is_valid(nik) == stdnum_nik.is_valid(nik)


def test_parse_nik_accepts_separators_and_rejects_wrong_length_or_date():
    assert values.parse_nik("3404 0141 0180 0001") == "3404014101800001"
    with pytest.raises(Invalid, match="16 angka"):
        values.parse_nik("340401410180")
    with pytest.raises(Invalid, match="tidak sah"):
        values.parse_nik("3404019999990001")


def test_parse_nib_requires_thirteen_digits():
    assert values.parse_nib("1234 5678 90123") == "1234567890123"
    with pytest.raises(Invalid, match="13 angka"):
        values.parse_nib("123")


def test_parse_year_reads_a_year_or_the_year_of_a_date_within_range():
    assert values.parse_year("2015", label="Tahun berdiri", latest=2025) == 2015
    assert values.parse_year("17-08-1985", label="Tahun lahir", latest=2015) == 1985
    with pytest.raises(Invalid, match="di luar rentang"):
        values.parse_year("2030", label="Tahun berdiri", latest=2025)
    with pytest.raises(Invalid, match="bukan tahun"):
        values.parse_year("tahun lalu", label="Tahun berdiri", latest=2025)


def test_parse_count_reads_whole_numbers_with_a_unit():
    assert values.parse_count("3 orang", label="Jumlah pekerja") == 3
    assert values.parse_count("4.0", label="Jumlah pekerja") == 4
    with pytest.raises(Invalid, match="bilangan bulat"):
        values.parse_count("-1", label="Jumlah pekerja")


@pytest.mark.parametrize(
    "text, answer",
    [("ya", True), ("Ya", True), ("ADA", True), ("tidak", False), ("belum", False), ("Tidak Ada", False)],
)
def test_parse_yes_no_understands_indonesian_answers(text, answer):
    assert values.parse_yes_no(text) is answer


def test_parse_yes_no_rejects_anything_else():
    with pytest.raises(Invalid, match="ya atau tidak"):
        values.parse_yes_no("mungkin")


def test_parse_channels_sorts_free_text_into_channels_and_marketplaces():
    channels, marketplaces = values.parse_channels("WA, Instagram, Shopee dan Tokopedia / lapak")
    assert channels == ["whatsapp", "social", "marketplace", "offline"]
    assert marketplaces == ["Shopee", "Tokopedia"]
    assert values.parse_payment_methods("Tunai / QRIS / OVO / transfer") == ["cash", "qris", "ewallet", "transfer"]


@pytest.mark.parametrize(
    "text", ["=cmd|' /C calc'!A0", "=1+1", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)"]
)
def test_formula_like_text_spots_spreadsheet_formulas(text):
    assert values.formula_like_text(text)


@pytest.mark.parametrize("text", ["Warung Bu Sri", "@kopisenja", "-", "+62 812 3456 7890"])
def test_formula_like_text_leaves_ordinary_text_alone(text):
    assert not values.formula_like_text(text)
