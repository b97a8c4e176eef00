"""Rows out of files as agencies save them, and a clear refusal for files that are not tables."""

import datetime
import zipfile

import openpyxl
import pytest

from naikkelas.registry.importing.errors import ImportFileError
from naikkelas.registry.importing.readers import MAX_LINE, open_table


def read_all(path):
    with open_table(path) as table:
        return table, list(table.rows)


def refusal(path) -> str:
    with pytest.raises(ImportFileError) as error:
        read_all(path)
    return str(error.value)


def test_csv_in_utf8_with_excel_bom_and_semicolons(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("\ufeffNama Usaha;Desa\r\nKopi Café;Caturtunggal\r\n".encode("utf-8"))
    table, rows = read_all(path)
    assert (table.encoding, table.delimiter) == ("utf-8-sig", ";")
    assert rows == [(1, ["Nama Usaha", "Desa"]), (2, ["Kopi Café", "Caturtunggal"])]


def test_csv_falls_back_to_windows_1252_and_says_so(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("Nama Usaha,Desa\nKopi Café,Caturtunggal\n".encode("cp1252"))
    table, rows = read_all(path)
    assert table.encoding == "cp1252"
    assert rows[1] == (2, ["Kopi Café", "Caturtunggal"])
    assert "Windows-1252" in table.notes[0]


def test_csv_in_utf16_as_excel_unicode_text(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("Nama Usaha\tDesa\r\nWarung\tCaturtunggal\r\n".encode("utf-16"))
    table, rows = read_all(path)
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert rows[1] == (2, ["Warung", "Caturtunggal"])


def test_csv_quoted_cells_keep_their_delimiters_and_line_breaks(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        'Nama Usaha,Alamat,Desa\n"Toko ""Maju"", Jaya","Jl. A\nRT 1",Caturtunggal\nB,C,D\n', encoding="utf-8"
    )
    _table, rows = read_all(path)
    assert rows[1] == (2, ['Toko "Maju", Jaya', "Jl. A\nRT 1", "Caturtunggal"])
    assert rows[2][0] == 3


def test_refuses_an_empty_file(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"")
    assert "kosong" in refusal(path)


def test_refuses_a_file_of_blank_lines(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"\r\n  \r\n\n")
    assert "kosong" in refusal(path)


def test_refuses_binary_junk(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(bytes(range(256)) * 64)
    assert "bukan CSV atau XLSX" in refusal(path)


def test_refuses_the_old_xls_format_by_name(tmp_path):
    path = tmp_path / "a.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert ".xls" in refusal(path)


def test_refuses_a_line_longer_than_any_table_row(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b"Nama Usaha,Desa\n" + b"x," * MAX_LINE)
    assert "terlalu panjang" in refusal(path)


def test_refuses_a_file_over_the_size_limit(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 100
    path = tmp_path / "a.csv"
    path.write_bytes(b"Nama Usaha,Desa\n" + b"Warung,Caturtunggal\n" * 10)
    assert "terlalu besar" in refusal(path)


def test_refuses_an_unclosed_quote_that_swallows_the_file(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(b'Nama Usaha,Desa\n"Warung,' + b"abcdefghij\n" * 20_000)
    assert "tanda kutip" in refusal(path)


def test_refuses_a_broken_xlsx(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    assert "XLSX rusak" in refusal(path)


def test_refuses_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "halo")
    assert "bukan lembar kerja" in refusal(path)


def test_refuses_an_xlsx_with_a_damaged_sheet(tmp_path):
    good = tmp_path / "good.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Nama Usaha", "Desa"])
    workbook.save(good)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            target.writestr(item, data)
    assert "XLSX rusak" in refusal(bad)


def test_xlsx_cells_come_out_as_the_text_people_typed(tmp_path):
    path = tmp_path / "a.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "UMKM"
    sheet.append(["Nama Usaha", "Kode Wilayah", "Omzet", "Tahun", "Tanggal", "Rekening", "NIK"])
    sheet.append(["Warung", 3404072001, 1500000.0, 2015, datetime.datetime(1985, 8, 17), True, 3404014101800001])
    sheet.append([])
    sheet.append(["Kopi", "34.04.07.2003", "=SUM(1,2)", None, None, False, None])
    workbook.create_sheet("Catatan")
    workbook.save(path)
    table, rows = read_all(path)
    assert (table.format, table.sheet) == ("xlsx", "UMKM")
    assert "lembar pertama" in table.notes[0]
    assert rows[1] == (2, ["Warung", "3404072001", "1500000", "2015", "1985-08-17", "ya", "3404014101800001"])
    # Formulas come out as their text, never evaluated; an empty row keeps the numbering.
    numbered = dict(rows)
    assert numbered[4][:3] == ["Kopi", "34.04.07.2003", "=SUM(1,2)"]


def test_delimiter_is_sniffed_past_a_title_line_and_commas_in_addresses(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        "DATA UMKM KABUPATEN SLEMAN, 2024\n"
        "Nama Usaha;Alamat;Desa\n"
        "Warung;Jl. Kaliurang, RT 1, RW 2;Caturtunggal\n"
        "Kopi;Jl. Palagan, No. 5;Sariharjo\n",
        encoding="utf-8",
    )
    table, rows = read_all(path)
    assert table.delimiter == ";"
    assert rows[2] == (3, ["Warung", "Jl. Kaliurang, RT 1, RW 2", "Caturtunggal"])
