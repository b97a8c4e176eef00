"""Whatever is uploaded, the importer answers with a report or a clear refusal: it never crashes, the check
never writes a business, and no formula is ever stored."""

import io
import uuid

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from naikkelas.registry.importing.check import run_check
from naikkelas.registry.importing.commit import run_commit
from naikkelas.registry.importing.errors import CommitRefused, ImportFileError
from naikkelas.registry.models import Business, ImportBatch
from tests.registry.factories import make_admin

pytestmark = pytest.mark.django_db

JUNK = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HEADINGS = ["Nama Usaha", "Kode Wilayah", "Desa", "Kecamatan", "No HP", "NIK", "NIB", "Omzet", "KBLI", "ID", "x", ""]
FORMULAS = [
    "=cmd|' /C calc'!A0", "=1+1", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1,1)", '=HYPERLINK("x")'
]
CELLS = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.sampled_from(["34.04.07.2001", "3404072001", "Caturtunggal", "Depok", "0812-3456-7890", "3404014101800001",
                     "1234567890123", "Rp 1.500.000", "56102", "-", '"', ";", ",", "\n", "\r", "\t"]),
    st.sampled_from(FORMULAS),
)


@pytest.fixture
def admin():
    return make_admin()


def check_file(tmp_path, data: bytes | None, suffix: str, actor, path=None):
    """Run the check on `data` (or the file at `path`); the report, or None when refused. Asserts the
    check wrote nothing."""
    if path is None:
        path = tmp_path / f"{uuid.uuid4().hex}{suffix}"
        path.write_bytes(data)
    before = Business.objects.count()
    batch_id = uuid.uuid4()
    scratch = tmp_path / f"{batch_id.hex}.sqlite3"
    try:
        report = run_check(path=path, actor=actor, original_name=path.name, batch_id=batch_id, scratch_path=scratch)
    except ImportFileError as error:
        assert str(error)
        assert not scratch.exists()
        report = None
    assert Business.objects.count() == before
    if report is not None:
        counts = report["counts"]
        assert counts["rows"] == counts["good"] + counts["bad"]
        assert len(report["bad_rows"]) == min(counts["bad"], report["limits"]["bad_rows"])
        assert all(item["reasons"] for item in report["bad_rows"])
    return report, batch_id, scratch


def no_formula_stored():
    for field in ("name", "owner_name", "address", "external_ref"):
        assert not Business.objects.filter(**{f"{field}__startswith": "="}).exists()


@JUNK
@given(data=st.binary(max_size=4096))
def test_random_bytes_never_crash_and_never_write(tmp_path, admin, data):
    check_file(tmp_path, data, ".csv", admin)


@JUNK
@given(
    header=st.lists(st.sampled_from(HEADINGS), min_size=1, max_size=8),
    rows=st.lists(st.lists(CELLS, max_size=9), max_size=12),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_random_csvish_text_never_crashes_and_the_check_never_writes(
    tmp_path, admin, header, rows, delimiter, encoding
):
    text = "\n".join(delimiter.join(cells) for cells in [header, *rows])
    data = text.encode(encoding, errors="replace")
    report, batch_id, scratch = check_file(tmp_path, data, ".csv", admin)
    if report is None:
        return
    batch = ImportBatch.objects.create(
        id=batch_id, uploaded_by=admin, original_name="x", stored_path="x", report=report
    )
    try:
        result = run_commit(batch=batch, actor=admin, scratch_path=scratch, skip_invalid=True)
    except CommitRefused:
        return
    assert result["written"] <= report["counts"]["good"]
    no_formula_stored()


def _workbook_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


VALID_XLSX = _workbook_bytes(
    [["Nama Usaha", "Kode Wilayah", "No HP"], ["Warung", "34.04.07.2001", "0812-3456-7890"], ["Kopi", "3404072003", ""]]
)


@JUNK
@given(
    cut=st.integers(min_value=0, max_value=len(VALID_XLSX)),
    flips=st.lists(st.tuples(st.integers(0, len(VALID_XLSX) - 1), st.integers(0, 255)), max_size=8),
)
def test_broken_xlsx_never_crashes_and_never_writes(tmp_path, admin, cut, flips):
    data = bytearray(VALID_XLSX[:cut] if cut > 4 else VALID_XLSX)
    for position, value in flips:
        if position < len(data):
            data[position] = value
    check_file(tmp_path, bytes(data), ".xlsx", admin)


@JUNK
@given(
    rows=st.lists(
        st.lists(st.one_of(CELLS, st.integers(-(10**18), 10**18), st.floats(allow_nan=True)), min_size=3, max_size=3),
        max_size=6,
    )
)
def test_xlsx_with_arbitrary_cells_never_crashes(tmp_path, admin, rows):
    data = _workbook_bytes([["Nama Usaha", "Kode Wilayah", "No HP"], *[[_cell(v) for v in row] for row in rows]])
    check_file(tmp_path, data, ".xlsx", admin)


def _cell(value):
    # openpyxl refuses control characters in strings; what it cannot write, no agency file can hold.
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n")
    return value


@pytest.mark.parametrize("payload", FORMULAS)
def test_formula_cells_are_refused_as_bad_rows_and_never_stored(tmp_path, admin, payload):
    data = f"Nama Usaha;Kode Wilayah;Alamat\n{payload};34.04.07.2001;Jl. A\nWarung;34.04.07.2001;{payload}\n".encode()
    report, batch_id, scratch = check_file(tmp_path, data, ".csv", admin)
    assert report["counts"]["bad"] == 2
    assert all("rumus" in " ".join(item["reasons"]) for item in report["bad_rows"])


def test_formula_cells_in_xlsx_are_read_as_text_and_refused(tmp_path, admin):
    data = _workbook_bytes([["Nama Usaha", "Kode Wilayah"], ["=cmd|' /C calc'!A0", "34.04.07.2001"], ["=1+1", "=A2"]])
    report, _batch_id, _scratch = check_file(tmp_path, data, ".xlsx", admin)
    assert report["counts"] == {"rows": 2, "good": 0, "bad": 2, "empty": 0, "duplicates": 0}


def test_a_hundred_megabytes_of_junk_is_refused_without_reading_it_into_memory(tmp_path, admin):
    # Printable junk without line breaks passes as text; the line-length guard stops it after a quarter
    # of a megabyte instead of handing the csv module one 100 MB line.
    path = tmp_path / "junk.csv"
    with open(path, "wb") as out:
        block = bytes(range(32, 127)) * 1000
        for _ in range(100 * 1024 * 1024 // len(block)):
            out.write(block)
    report, _batch_id, _scratch = check_file(tmp_path, None, ".csv", admin, path=path)
    assert report is None
