"""Which column is which: Indonesian headings, matched without case, spaces or punctuation."""

import pytest

from naikkelas.registry.importing.errors import ImportFileError
from naikkelas.registry.importing.headers import find_header, header_keys, map_headers


@pytest.mark.parametrize(
    "heading, field",
    [
        ("Nama Usaha", "name"),
        ("NAMA_USAHA", "name"),
        ("nama usaha:", "name"),
        ("Nama  UMKM", "name"),
        ("Nama Pemilik", "owner_name"),
        ("Pemilik", "owner_name"),
        ("No. HP", "phone"),
        ("Nomor HP", "phone"),
        ("No HP/WA", "phone"),
        ("Telepon", "phone"),
        ("WhatsApp", "phone"),
        ("Alamat", "address"),
        ("Provinsi", "province"),
        ("Kabupaten/Kota", "regency"),
        ("Kab/Kota", "regency"),
        ("Kecamatan", "district"),
        ("Kapanewon", "district"),
        ("Desa/Kelurahan", "village"),
        ("Kelurahan", "village"),
        ("Kode Wilayah", "region_code"),
        ("Kode Desa", "region_code"),
        ("KBLI", "sector"),
        ("Sektor", "sector"),
        ("NIB", "nib"),
        ("NIK", "nik"),
        ("No. KTP", "nik"),
        ("Tahun Berdiri", "founded_year"),
        ("Jumlah Karyawan (orang)", "employees"),
        ("Tenaga Kerja", "employees"),
        ("Modal (Rp)", "capital"),
        ("Modal Rp", "capital"),
        ("Omzet", "annual_sales"),
        ("Omset per Tahun (Rp)", "annual_sales"),
        ("Penjualan Tahunan", "annual_sales"),
        ("Omzet per Bulan", "monthly_sales"),
        ("Omzet (per bulan)", "monthly_sales"),
        ("Tahun Lahir Pemilik", "owner_birth_year"),
        ("Tanggal Lahir", "owner_birth_year"),
        ("Punya Rekening", "has_bank_account"),
        ("ID", "external_ref"),
        ("No Urut", "external_ref"),
        ("Kode Usaha", "external_ref"),
        ("Metode Pembayaran", "payment_methods"),
        ("Marketplace", "marketplaces"),
    ],
)
def test_map_headers_recognises_indonesian_synonyms(heading, field):
    header = map_headers([heading])
    assert header.columns == {field: 0}


def test_map_headers_lists_unknown_columns_and_ignores_the_row_counter():
    header = map_headers(["No", "Nama Usaha", "Jenis Kelamin", "Desa", ""])
    assert header.columns == {"name": 1, "village": 3}
    assert header.unknown == ["Jenis Kelamin"]
    assert header.ignored == ["No"]


def test_map_headers_keeps_the_first_of_two_columns_for_one_field():
    header = map_headers(["Nama Usaha", "No HP", "WhatsApp", "Desa"])
    assert header.columns["phone"] == 1
    assert header.ignored == ["WhatsApp"]


def test_map_headers_reads_a_bare_nama_as_owner_when_the_business_has_its_own_column():
    assert map_headers(["Nama", "Nama Usaha", "Desa"]).columns == {"owner_name": 0, "name": 1, "village": 2}
    assert map_headers(["Nama", "Desa"]).columns == {"name": 0, "village": 1}


def test_header_keys_drop_case_punctuation_units_and_brackets():
    assert header_keys("Omzet (per bulan)") == ("omzetperbulan", "omzet")
    assert header_keys("  MODAL_USAHA (Rp.) ") == ("modalusaha", "modalusaha")


def test_find_header_skips_title_rows_above_the_headings():
    rows = iter(
        [
            (1, ["DATA UMKM 2024", ""]),
            (2, ["", ""]),
            (3, ["Nama Usaha", "Kode Wilayah"]),
            (4, ["Warung", "34.04.07.2001"]),
        ]
    )
    number, header = find_header(rows)
    assert number == 3
    assert header.columns == {"name": 0, "region_code": 1}
    assert next(rows) == (4, ["Warung", "34.04.07.2001"])


def test_find_header_says_which_required_columns_are_missing():
    with pytest.raises(ImportFileError) as error:
        find_header(iter([(1, ["Nama Usaha", "Alamat"])]))
    assert "wilayah" in str(error.value)
    with pytest.raises(ImportFileError) as error:
        find_header(iter([(1, ["Pemilik", "Desa"])]))
    assert "Nama usaha" in str(error.value)
