"""Export of the cash book (CSV and XLSX, formula-safe) and its import: an owner's upload and the bulk command,
both all or nothing, every bad row listed with its reason."""

import csv
import datetime as dt
import html
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from naikkelas.core.models import AuditLog
from naikkelas.ledger.importing import ImportFileError, check_file, commit_file
from naikkelas.ledger.models import Category, Direction, Entry, Method, Source
from tests.registry.factories import make_business, make_owner

pytestmark = pytest.mark.django_db

BULK_HEADER = "business_ref,date,direction,amount,category\n"


@pytest.fixture
def owner():
    return make_owner()


@pytest.fixture
def business(owner):
    return make_business(owner=owner, name="Warung Bu Sri", external_ref="UMKM-34-0000001")


@pytest.fixture
def other_business():
    return make_business(name="Keripik Pak Joko", external_ref="UMKM-34-0000002")


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def page_of(response) -> str:
    return html.unescape(response.content.decode())


def write(tmp_path, text: str, name: str = "kas.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def add(business, **fields) -> Entry:
    values = {
        "direction": Direction.IN, "amount": 15000, "date": dt.date(2024, 5, 2), "category": Category.SALES,
        **fields,
    }
    return Entry.objects.create(business=business, **values)


# -- export ---------------------------------------------------------------------------------------------------


def test_csv_export_lists_entries_oldest_first_with_the_import_columns(signed_in, business):
    # given two entries
    add(business, amount=15000, date=dt.date(2024, 5, 2), note="Nasi bungkus")
    add(business, direction=Direction.OUT, amount=40000, date=dt.date(2024, 5, 1), category=Category.STOCK,
        method=Method.QRIS, party="Toko Beras")
    # when the owner exports CSV
    response = signed_in.get(reverse("ledger:export", args=[business.pk]) + "?format=csv")
    # then the file has the headings and both rows, oldest first
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["tanggal", "arah", "jumlah", "kategori", "cara_bayar", "catatan", "pihak", "sumber"]
    assert rows[1] == ["2024-05-01", "out", "40000", "stock", "qris", "", "Toko Beras", "manual"]
    assert rows[2] == ["2024-05-02", "in", "15000", "sales", "cash", "Nasi bungkus", "", "manual"]


def test_exports_escape_text_that_a_spreadsheet_would_run_as_a_formula(signed_in, business):
    # given a note and a party written like formulas (entries from older data, typed before any check)
    add(business, note="=HYPERLINK(\"http://x\")", party="@SUM(A1)")
    # when exported as CSV and as XLSX
    csv_text = b"".join(
        signed_in.get(reverse("ledger:export", args=[business.pk]) + "?format=csv").streaming_content
    ).decode("utf-8-sig")
    response = signed_in.get(reverse("ledger:export", args=[business.pk]) + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    # then both start with an apostrophe and stay text; the amount stays a number and the date a date
    row = list(csv.reader(io.StringIO(csv_text)))[1]
    assert row[5] == "'=HYPERLINK(\"http://x\")" and row[6] == "'@SUM(A1)"
    cells = [cell.value for cell in sheet[2]]
    assert cells[5] == "'=HYPERLINK(\"http://x\")" and cells[6] == "'@SUM(A1)"
    assert cells[2] == 15000 and cells[0].date() == dt.date(2024, 5, 2)
    assert sheet["F2"].data_type == "s"


def test_export_refuses_an_unknown_format_with_a_message(signed_in, business):
    response = signed_in.get(reverse("ledger:export", args=[business.pk]) + "?format=pdf")
    assert response.status_code == 400
    assert "csv atau xlsx" in page_of(response)


def test_export_of_another_owners_book_is_not_found(client, business):
    # given another owner
    client.force_login(make_owner(phone="+6281299990001"))
    # when they ask for this business's export, then it does not exist for them
    assert client.get(reverse("ledger:export", args=[business.pk]) + "?format=csv").status_code == 404


# -- the owner's upload ---------------------------------------------------------------------------------------


def upload(client, business, text: str):
    file = SimpleUploadedFile("kas.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(reverse("ledger:import", args=[business.pk]), {"berkas": file})


def test_an_exported_book_imports_back_after_check_and_commit(signed_in, business):
    # given an export of two entries, which are then deleted
    add(business, amount=15000, note="Nasi")
    add(business, direction=Direction.OUT, amount=40000, category=Category.STOCK, party="Toko Beras")
    exported = b"".join(
        signed_in.get(reverse("ledger:export", args=[business.pk]) + "?format=csv").streaming_content
    ).decode("utf-8-sig")
    Entry.objects.all().delete()
    # when uploaded: the check writes nothing
    response = upload(signed_in, business, exported)
    assert response.status_code == 200 and not Entry.objects.exists()
    token = response.context["token"]
    assert response.context["report"].good == 2
    # and the commit writes both
    response = signed_in.post(reverse("ledger:import_commit", args=[business.pk]), {"berkas": token})
    assert response.status_code == 302
    stored = sorted(Entry.objects.values_list("direction", "amount", "party", "source"))
    assert stored == [("in", 15000, "", Source.IMPORT), ("out", 40000, "Toko Beras", Source.IMPORT)]
    # and the same file uploaded again is refused, not doubled
    response = upload(signed_in, business, exported)
    assert response.context["report"].already_imported and not response.context["token"]
    assert Entry.objects.count() == 2


BAD_ROWS = [
    ("2024-13-01,in,15000,sales", "Tanggal '2024-13-01' tidak dikenali"),
    ("1999-12-31,in,15000,sales", "sebelum tahun 2000"),
    ("2999-01-01,in,15000,sales", "di masa depan"),
    ("2024-05-02,maybe,15000,sales", "Arah 'maybe' tidak dikenali"),
    ("2024-05-02,in,lima ribu,sales", "Jumlah 'lima ribu' tidak dikenali"),
    ("2024-05-02,in,0,sales", "Jumlah harus lebih dari 0"),
    ("2024-05-02,in,99999999999999,sales", "terlalu besar"),
    ("2024-05-02,in,15000,hadiah", "Kategori 'hadiah' tidak dikenali"),
]


@pytest.mark.parametrize("line,reason", BAD_ROWS)
def test_each_kind_of_bad_row_is_refused_with_its_reason_and_nothing_written(signed_in, business, line, reason):
    # given a file with one good row and one bad one
    text = "tanggal,arah,jumlah,kategori\n2024-05-01,in,Rp 15.000,penjualan\n" + line + "\n"
    # when uploaded
    response = upload(signed_in, business, text)
    # then the bad row is listed by number with its reason, nothing can be committed, nothing is written
    page = page_of(response)
    assert "baris 3" in page and reason in page
    assert response.context["token"] == ""
    assert not Entry.objects.exists()


def test_notes_written_like_formulas_are_refused(signed_in, business):
    text = "tanggal,arah,jumlah,kategori,catatan\n2024-05-01,in,15000,sales,=cmd|' /C calc'!A0\n"
    response = upload(signed_in, business, text)
    assert "seperti rumus" in page_of(response)
    assert not Entry.objects.exists()


def test_a_file_without_the_required_columns_is_refused_with_the_expected_headings(signed_in, business):
    response = upload(signed_in, business, "tanggal,jumlah\n2024-05-01,15000\n")
    page = page_of(response)
    assert "Kolom wajib tidak ada: arah, kategori" in page
    assert not Entry.objects.exists()


def test_a_file_that_is_not_utf8_text_is_refused(signed_in, business):
    file = SimpleUploadedFile("kas.csv", b"tanggal,arah\n\xff\xfe\x00\x01garbage", content_type="text/csv")
    response = signed_in.post(reverse("ledger:import", args=[business.pk]), {"berkas": file})
    assert "UTF-8" in page_of(response)


def test_a_commit_of_a_file_changed_since_its_check_writes_nothing(signed_in, business, settings, tmp_path):
    # given a checked upload whose file is then changed to hold a bad row
    settings.MEDIA_ROOT = tmp_path
    response = upload(signed_in, business, "tanggal,arah,jumlah,kategori\n2024-05-01,in,15000,sales\n")
    token = response.context["token"]
    stored = tmp_path / "ledger-imports" / str(business.pk) / f"{token}.csv"
    stored.write_text("tanggal,arah,jumlah,kategori\n2024-05-01,in,15000,sales\n2024-05-01,in,x,sales\n")
    # when committed, then nothing is written and the reason is shown
    response = signed_in.post(reverse("ledger:import_commit", args=[business.pk]), {"berkas": token})
    assert "Tidak ada yang disimpan" in page_of(response)
    assert not Entry.objects.exists()


def test_another_owner_cannot_commit_an_upload_of_this_business(client, signed_in, business, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    token = upload(signed_in, business, "tanggal,arah,jumlah,kategori\n2024-05-01,in,15000,sales\n").context["token"]
    stranger = make_owner(phone="+6281299990002")
    make_business(owner=stranger, name="Toko Lain")
    client.force_login(stranger)
    response = client.post(reverse("ledger:import_commit", args=[business.pk]), {"berkas": token})
    assert response.status_code == 404
    assert not Entry.objects.exists()


# -- the bulk command -----------------------------------------------------------------------------------------


def test_command_checks_without_writing_and_commits_with_commit(business, other_business, tmp_path, capsys):
    other = other_business
    path = write(
        tmp_path,
        BULK_HEADER
        + "UMKM-34-0000001,2023-01-02,in,150000,sales\n"
        + "UMKM-34-0000002,02/01/2023,out,Rp 25.000,transport\n"
        + "\n"
        + "UMKM-34-0000001,2023-01-03,keluar,30000,Gaji\n",
    )
    # when checked only: a summary, nothing written
    call_command("import_ledger", str(path))
    out = capsys.readouterr().out
    assert "baik 3, salah 0" in out and "--commit" in out
    assert not Entry.objects.exists()
    # when committed: every row, source import, with the summary line
    call_command("import_ledger", str(path), "--commit")
    assert "Tersimpan 3 catatan" in capsys.readouterr().out
    stored = sorted(Entry.objects.values_list("business_id", "direction", "amount", "date", "category", "source"))
    assert stored == [
        (business.pk, "in", 150000, dt.date(2023, 1, 2), "sales", "import"),
        (business.pk, "out", 30000, dt.date(2023, 1, 3), "wages", "import"),
        (other.pk, "out", 25000, dt.date(2023, 1, 2), "transport", "import"),
    ]
    # and the same file a second time is refused
    with pytest.raises(CommandError, match="sudah pernah diimpor"):
        call_command("import_ledger", str(path), "--commit")
    assert Entry.objects.count() == 3


def test_command_lists_bad_rows_exits_non_zero_and_writes_nothing(business, tmp_path, capsys):
    path = write(
        tmp_path,
        BULK_HEADER
        + "UMKM-34-0000001,2023-01-02,in,150000,sales\n"
        + "UMKM-TIDAK-ADA,2023-01-02,in,150000,sales\n"
        + "UMKM-34-0000001,2023-01-02,sideways,-5,food\n",
    )
    with pytest.raises(CommandError, match="2 baris salah"):
        call_command("import_ledger", str(path), "--commit")
    err = capsys.readouterr().err
    assert "baris 3: Usaha dengan business_ref 'UMKM-TIDAK-ADA' tidak ada." in err
    assert "baris 4:" in err and "Arah 'sideways'" in err and "Jumlah '-5'" in err and "Kategori 'food'" in err
    assert not Entry.objects.exists()


def test_command_refuses_a_file_without_business_ref(business, tmp_path):
    path = write(tmp_path, "date,direction,amount,category\n2023-01-02,in,1,sales\n")
    with pytest.raises(CommandError, match="business_ref"):
        call_command("import_ledger", str(path))


def test_check_reads_rows_in_batches_and_counts_every_one(business, tmp_path, monkeypatch):
    # given a file longer than a batch, so the business is looked up across batches
    monkeypatch.setattr("naikkelas.ledger.importing.BATCH_SIZE", 7)
    path = write(tmp_path, BULK_HEADER + "UMKM-34-0000001,2023-01-02,in,1000,sales\n" * 50)
    report = check_file(path)
    assert (report.rows, report.good, report.bad, report.money_in) == (50, 50, 0, 50_000)


# -- any file -------------------------------------------------------------------------------------------------

# For each column of a bulk file, cells that are good and cells that are bad.
CELLS = [
    (["UMKM-34-0000001", "UMKM-34-0000002", " UMKM-34-0000001 "], ["UMKM-TIDAK-ADA", ""]),
    (["2023-01-02", "02/01/2023", " 2023-01-03 "], ["2023-02-30", "", "1999-12-31", "2999-01-01", "kemarin"]),
    (["in", "OUT", "Masuk", "uang keluar"], ["sideways", ""]),
    (["1500", "Rp 15.000", "15.000", "99999"], ["0", "-5", "lima", "", "99999999999999"]),
    (["sales", "Penjualan", "gaji", "STOK"], ["food", ""]),
]


@st.composite
def lines(draw):
    """A line of the file: (cells, good?), None for a blank line, or "short" for a row of two cells."""
    kind = draw(st.sampled_from(["good"] * 6 + ["bad"] * 3 + ["blank", "short"]))
    if kind in ("blank", "short"):
        return None if kind == "blank" else "short"
    cells = [draw(st.sampled_from(good)) for good, _bad in CELLS]
    if kind == "bad":
        for column in draw(st.sets(st.integers(0, len(CELLS) - 1), min_size=1)):
            cells[column] = draw(st.sampled_from(CELLS[column][1]))
    return cells, kind == "good"


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(lines(), min_size=1, max_size=30), batch=st.integers(1, 7), memory=st.integers(1, 6))
def test_any_bulk_file_is_judged_row_by_row_and_written_only_when_every_row_is_good(
    business, other_business, tmp_path, monkeypatch, lines, batch, memory
):
    # given a file of good, bad, blank and short rows, read in small batches with small memories of cells
    monkeypatch.setattr("naikkelas.ledger.importing.BATCH_SIZE", batch)
    monkeypatch.setattr("naikkelas.ledger.importing.MEMORY_SIZE", memory)
    text, expected_bad, expected_good = BULK_HEADER, [], 0
    for number, line in enumerate(lines, start=2):
        if line is None:
            text += "\n"
        elif line == "short":
            text += "UMKM-34-0000001,2023-01-02\n"
            expected_bad.append(number)
        else:
            cells, good = line
            text += ",".join(f'"{cell}"' for cell in cells) + "\n"
            if not any(cell.strip() for cell in cells):
                continue  # a bad row whose every cell drew "": a blank line, as a spreadsheet saves one
            if good:
                expected_good += 1
            else:
                expected_bad.append(number)
    path = write(tmp_path, text, name=f"kas-{len(lines)}-{batch}-{memory}.csv")
    if not expected_good and not expected_bad:
        with pytest.raises(ImportFileError):
            check_file(path)
        return
    # when checked: every row judged as the oracle says, by its row number
    report = check_file(path)
    assert [number for number, _reasons in report.bad_rows] == expected_bad
    assert (report.good, report.bad) == (expected_good, len(expected_bad))
    # when committed: everything or nothing
    written = commit_file(path)
    assert written.written == (expected_good if not expected_bad else 0)
    assert Entry.objects.count() == written.written
    Entry.objects.all().delete()
    AuditLog.objects.filter(action="ledger.import_bulk").delete()
