"""Which column holds what: the headings agencies really write, in Indonesian, matched loosely.

"Nama Usaha", "NAMA_USAHA", "nama usaha:" and "Nama  Usaha (UMKM)" are the same column: headings are
compared without case, spaces, punctuation or anything in brackets, and units at the end ("Modal (Rp)",
"Modal Rp") do not count. The preview shows the officer what each column was taken for and which were not
recognised, so a surprise is seen before anything is written.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naikkelas.registry.importing.errors import ImportFileError

# field -> (label shown to the officer, headings that mean it)
FIELDS: dict[str, tuple] = {
    "name": (gettext_lazy("Nama usaha"), [
        "nama usaha", "nama umkm", "nama ukm", "nama toko", "nama perusahaan", "nama bisnis", "nama unit usaha",
        "nama usaha umkm", "usaha", "nama tempat usaha", "business name",
    ]),
    "owner_name": (gettext_lazy("Nama pemilik"), [
        "nama pemilik", "pemilik", "nama pemilik usaha", "pemilik usaha", "nama pelaku usaha", "pelaku usaha",
        "nama penanggung jawab", "penanggung jawab", "nama lengkap", "owner",
    ]),
    "phone": (gettext_lazy("Nomor HP"), [
        "no hp", "nomor hp", "no handphone", "nomor handphone", "hp", "handphone", "telepon", "telp", "tlp",
        "no telp", "no telepon", "nomor telepon", "no tlp", "whatsapp", "wa", "no wa", "nomor wa",
        "nomor whatsapp", "no whatsapp", "no hp wa", "no hp whatsapp", "nomor hp wa", "kontak", "no kontak",
        "phone",
    ]),
    "address": (gettext_lazy("Alamat"), ["alamat", "alamat usaha", "alamat lengkap", "alamat tempat usaha", "jalan"]),
    "province": (gettext_lazy("Provinsi"), ["provinsi", "propinsi", "prov", "nama provinsi"]),
    "regency": (gettext_lazy("Kabupaten/kota"), [
        "kabupaten kota", "kabupaten", "kota", "kab kota", "kota kabupaten", "kab", "nama kabupaten",
        "nama kabupaten kota",
    ]),
    "district": (gettext_lazy("Kecamatan"), [
        "kecamatan", "kec", "nama kecamatan", "kapanewon", "kemantren", "distrik", "kapanewon kemantren",
    ]),
    "village": (gettext_lazy("Desa/kelurahan"), [
        "desa kelurahan", "desa", "kelurahan", "kel desa", "desa kel", "kelurahan desa", "nama desa",
        "nama kelurahan", "nama desa kelurahan", "kalurahan", "nagari", "gampong",
    ]),
    "region_code": (gettext_lazy("Kode wilayah"), [
        "kode wilayah", "kode desa", "kode kelurahan", "kode desa kelurahan", "kode kemendagri",
        "kode wilayah desa", "kode wilayah kemendagri",
    ]),
    "sector": (gettext_lazy("KBLI"), ["kbli", "kode kbli", "kbli 2020", "sektor", "kode sektor", "sektor kbli"]),
    "nib": (gettext_lazy("NIB"), ["nib", "nomor induk berusaha", "no nib", "nomor nib"]),
    "nik": (gettext_lazy("NIK pemilik"), [
        "nik", "nik pemilik", "no ktp", "nomor ktp", "ktp", "nomor induk kependudukan", "no nik", "nik ktp",
    ]),
    "founded_year": (gettext_lazy("Tahun berdiri"), [
        "tahun berdiri", "tahun mulai usaha", "tahun mulai", "berdiri sejak", "tahun usaha berdiri",
        "tahun pendirian", "mulai usaha",
    ]),
    "employees": (gettext_lazy("Jumlah pekerja"), [
        "jumlah karyawan", "karyawan", "tenaga kerja", "jumlah tenaga kerja", "jumlah pekerja", "pekerja",
        "jml karyawan", "jml tenaga kerja", "tk",
    ]),
    "capital": (gettext_lazy("Modal"), ["modal", "modal usaha", "jumlah modal", "aset", "nilai aset", "modal awal"]),
    "annual_sales": (gettext_lazy("Omzet setahun"), [
        "omzet", "omset", "omzet per tahun", "omset per tahun", "omzet tahunan", "omset tahunan",
        "omzet setahun", "omset setahun", "penjualan tahunan", "penjualan per tahun", "hasil penjualan tahunan",
        "omzet pertahun", "omset pertahun",
    ]),
    "monthly_sales": (gettext_lazy("Omzet sebulan (dikali 12)"), [
        "omzet per bulan", "omset per bulan", "omzet bulanan", "omset bulanan", "omzet sebulan", "omset sebulan",
        "penjualan per bulan", "penjualan bulanan", "omzet perbulan", "omset perbulan",
    ]),
    "owner_birth_year": (gettext_lazy("Tahun lahir pemilik"), [
        "tahun lahir pemilik", "tahun lahir", "thn lahir", "tanggal lahir", "tgl lahir", "tanggal lahir pemilik",
    ]),
    "has_bank_account": (gettext_lazy("Punya rekening bank"), [
        "punya rekening", "punya rekening bank", "memiliki rekening", "memiliki rekening bank", "rekening bank",
        "rekening", "ada rekening",
    ]),
    "external_ref": (gettext_lazy("ID dari dinas"), [
        "id", "no urut", "nomor urut", "kode usaha", "id usaha", "id umkm", "kode umkm", "id pelaku usaha",
    ]),
    "channels": (gettext_lazy("Kanal penjualan"), [
        "kanal penjualan", "saluran penjualan", "media pemasaran", "saluran pemasaran", "cara berjualan",
        "media penjualan", "pemasaran",
    ]),
    "marketplaces": (gettext_lazy("Marketplace"), ["marketplace", "lokapasar", "toko online", "e commerce"]),
    "payment_methods": (gettext_lazy("Cara pembayaran"), [
        "metode pembayaran", "cara pembayaran", "pembayaran", "alat pembayaran", "jenis pembayaran",
    ]),
}
# A bare "No" is the spreadsheet's row counter, different in every file; taking it as the agency's id
# would make every second file a pile of false duplicates.
IGNORED = {"no", "nomor", "no baris"}
# "Nama" alone is the business in a file without "Nama Usaha", the owner in a file with it.
FALLBACKS = {"nama": ("name", "owner_name"), "nama lengkap": ("owner_name",)}
REGION_FIELDS = ("region_code", "province", "regency", "district", "village")
_UNITS = {"rp", "rupiah", "idr", "orang", "org", "thn"}
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_TOKENS = re.compile(r"[a-z0-9]+")
HEADER_SEARCH_ROWS = 30
MAX_COLUMNS = 500


def _tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace("_", " ")
    tokens = _TOKENS.findall(text)
    while tokens and tokens[-1] in _UNITS:
        tokens.pop()
    return tokens


def header_keys(heading: str) -> tuple[str, str]:
    """(key with the bracketed part, key without it): "Omzet (per bulan)" -> ("omzetperbulan", "omzet")."""
    return "".join(_tokens(heading)), "".join(_tokens(_BRACKETS.sub(" ", heading)))


_SYNONYMS = {"".join(_tokens(s)): name for name, (_label, synonyms) in FIELDS.items() for s in synonyms}
_IGNORED = {"".join(_tokens(s)) for s in IGNORED}
_FALLBACKS = {"".join(_tokens(s)): fields for s, fields in FALLBACKS.items()}


def field_label(name: str) -> str:
    return str(FIELDS[name][0])


@dataclass
class HeaderMap:
    columns: dict[str, int] = field(default_factory=dict)  # field -> column index
    mapping: list[dict] = field(default_factory=list)  # for the report: column heading -> field
    unknown: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    width: int = 0

    @property
    def complete(self) -> bool:
        return "name" in self.columns and ("region_code" in self.columns or "village" in self.columns)

    def as_report(self) -> dict:
        return {"mapping": self.mapping, "unknown_columns": self.unknown, "ignored_columns": self.ignored}


def map_headers(cells: list[str]) -> HeaderMap:
    header = HeaderMap(width=len(cells))
    pending = []
    for index, cell in enumerate(cells[:MAX_COLUMNS]):
        heading = " ".join((cell or "").split())
        if not heading:
            continue
        full, short = header_keys(heading)
        name = _SYNONYMS.get(full) or _SYNONYMS.get(short)
        if name is None:
            if full in _IGNORED or short in _IGNORED:
                header.ignored.append(heading)
            elif full in _FALLBACKS or short in _FALLBACKS:
                pending.append((index, heading, _FALLBACKS.get(full) or _FALLBACKS[short]))
            else:
                header.unknown.append(heading)
            continue
        _assign(header, index, heading, name)
    for index, heading, candidates in pending:
        name = next((n for n in candidates if n not in header.columns), candidates[-1])
        _assign(header, index, heading, name)
    header.mapping.sort(key=lambda item: item["index"])
    return header


def _assign(header: HeaderMap, index: int, heading: str, name: str) -> None:
    if name in header.columns:
        # Two columns for one field: the first one counts; the officer sees the second listed as ignored.
        header.ignored.append(heading)
        return
    header.columns[name] = index
    header.mapping.append({"index": index, "column": heading, "field": name, "label": field_label(name)})


def find_header(rows) -> tuple[int, HeaderMap]:
    """The heading row among the first rows (agency files often start with a title and a blank line).
    `rows` yields (row number, cells); it is left positioned on the first data row."""
    best: HeaderMap | None = None
    seen = 0
    for number, cells in rows:
        if not any(cell.strip() for cell in cells if cell):
            continue
        header = map_headers(cells)
        if header.complete:
            return number, header
        if best is None or len(header.columns) > len(best.columns):
            best = header
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    if best is None:
        raise ImportFileError(_("Berkas kosong: tidak ada baris apa pun."))
    missing = []
    if "name" not in best.columns:
        missing.append(_("'Nama usaha'"))
    if not ("region_code" in best.columns or "village" in best.columns):
        missing.append(_("wilayah ('Kode wilayah', atau 'Desa/Kelurahan' dengan 'Kecamatan' dan 'Kabupaten/Kota')"))
    raise ImportFileError(
        _("Judul kolom tidak ditemukan di %(n)s baris pertama. Yang belum ada: %(missing)s.")
        % {"n": HEADER_SEARCH_ROWS, "missing": _(" dan ").join(missing)}
    )
