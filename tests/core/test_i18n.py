"""The site in two languages: Bahasa Indonesia by default, English when the visitor picks it in the
footer, and an English catalogue that covers every string in the source (a string added without its
translation fails here, not in front of an English-speaking programme officer)."""

import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

import naikkelas
from tests.conftest import require

PACKAGE_DIR = Path(naikkelas.__file__).resolve().parent
EN_DIR = PACKAGE_DIR / "locale" / "en" / "LC_MESSAGES"
PO_FILE = EN_DIR / "django.po"
MO_FILE = EN_DIR / "django.mo"
# What makemessages reads: Python code and templates (no JavaScript file calls gettext; its texts come
# from data- attributes the templates translate).
SOURCE_SUFFIXES = {".py", ".html", ".txt"}


# -- a tiny .po reader -----------------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
_FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"\s*$')
_CONTINUATION = re.compile(r'^"(.*)"\s*$')


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


def parse_po(text: str) -> list[dict]:
    """Entries as {"msgid": ..., "msgstr": ... or "msgstr[0]": ..., "fuzzy": bool}; obsolete (#~) entries
    and the header are left out, since neither is looked up at run time."""
    entries = []
    for block in re.split(r"\n\s*\n", text.strip()):
        entry: dict = {"fuzzy": False}
        field = None
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("#,"):
                entry["fuzzy"] = entry["fuzzy"] or any(flag.strip() == "fuzzy" for flag in line[2:].split(","))
            elif line.startswith("#") or not line:
                continue
            elif match := _FIELD.match(line):
                field = match.group(1)
                entry[field] = _unescape(match.group(2))
            elif (match := _CONTINUATION.match(line)) and field:
                entry[field] += _unescape(match.group(1))
            else:
                raise ValueError(f"Unreadable line in the catalogue: {line!r}")
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def translations(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def problems(entries: list[dict]) -> list[str]:
    """Every entry that would show Indonesian (or a guess) to an English reader."""
    found = []
    for entry in entries:
        if entry["fuzzy"]:
            found.append(f"fuzzy: {entry['msgid']!r}")
        elif not translations(entry) or not all(text.strip() for text in translations(entry)):
            found.append(f"untranslated: {entry['msgid']!r}")
    return found


def test_po_reader_finds_fuzzy_and_untranslated_entries():
    # Given a catalogue with one good, one fuzzy, one empty and one half-translated plural entry
    sample = "\n".join([
        'msgid ""',
        'msgstr "Content-Type: text/plain; charset=UTF-8\\n"',
        "",
        "#: a.py:1",
        'msgid "Simpan"',
        'msgstr "Save"',
        "",
        "#, fuzzy, python-format",
        'msgid "Halaman %(n)s"',
        'msgstr "Page %(n)s"',
        "",
        'msgid ""',
        '"Kirim "',
        '"kode"',
        'msgstr ""',
        "",
        'msgid "%(n)s usaha"',
        'msgid_plural "%(n)s usaha"',
        'msgstr[0] "%(n)s business"',
        'msgstr[1] ""',
        "",
        '#~ msgid "Lama"',
        '#~ msgstr ""',
    ])
    # When it is read and checked
    entries = parse_po(sample)
    # Then only the good entry passes, multi-line strings are joined, and the obsolete one is not counted
    assert [e["msgid"] for e in entries] == ["Simpan", "Halaman %(n)s", "Kirim kode", "%(n)s usaha"]
    assert problems(entries) == [
        "fuzzy: 'Halaman %(n)s'",
        "untranslated: 'Kirim kode'",
        "untranslated: '%(n)s usaha'",
    ]


# -- the catalogue ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    return parse_po(PO_FILE.read_text(encoding="utf-8"))


def test_english_catalogue_has_no_untranslated_or_fuzzy_entries(catalogue):
    assert len(catalogue) > 400  # the reader really read the site's catalogue
    assert problems(catalogue) == []


def test_english_catalogue_keeps_placeholders_and_markup(catalogue):
    # "%(code)s", "{name}" and "<strong>" are filled in or rendered by the code: a translation that drops,
    # renames or adds one breaks the page or the message.
    pattern = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdif]|\{\w+\}|</?\w+[^>]*>")
    wrong = []
    for entry in catalogue:
        if "msgid_plural" in entry:
            pairs = [(entry["msgid"], entry["msgstr[0]"]), (entry["msgid_plural"], entry["msgstr[1]"])]
        else:
            pairs = [(entry["msgid"], entry["msgstr"])]
        for source, text in pairs:
            if sorted(pattern.findall(source)) != sorted(pattern.findall(text)):
                wrong.append((source, text))
    assert wrong == []


def test_compiled_english_catalogue_matches_the_po_file(catalogue):
    # The .mo is what Django reads; it is committed, so a .po edited without compilemessages shows here.
    compiled = gettext.GNUTranslations(MO_FILE.open("rb"))
    stale = []
    for entry in catalogue:
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            got = [compiled.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
            if context:
                got = [compiled.npgettext(context, entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
            expected = [entry["msgstr[0]"], entry["msgstr[1]"]]
        else:
            got = [compiled.pgettext(context, entry["msgid"]) if context else compiled.gettext(entry["msgid"])]
            expected = [entry["msgstr"]]
        if got != expected:
            stale.append(entry["msgid"])
    assert stale == []


def test_every_string_in_the_source_has_an_english_translation(tmp_path, settings, monkeypatch):
    # Given a copy of the package's code and templates with the committed English catalogue
    require(shutil.which("xgettext") is not None, "GNU gettext (xgettext, msgmerge) is needed for makemessages")
    for path in PACKAGE_DIR.rglob("*"):
        if path.suffix in SOURCE_SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
            target = tmp_path / path.relative_to(PACKAGE_DIR)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    copied_po = tmp_path / PO_FILE.relative_to(PACKAGE_DIR)
    copied_po.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PO_FILE, copied_po)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    # When the strings are extracted afresh and merged into it, as a translator would
    call_command("makemessages", locale=["en"], verbosity=0)
    # Then every string the source uses today is there and translated
    refreshed = parse_po(copied_po.read_text(encoding="utf-8"))
    assert len(refreshed) > 400
    assert problems(refreshed) == [], "run `naikkelas makemessages -l en`, translate, `naikkelas compilemessages`"


# -- the pages ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_page_speaks_indonesian_by_default(client):
    page = client.get("/").content.decode()
    assert '<html lang="id">' in page
    assert "Bawa usaha Anda online dalam hitungan menit" in page
    assert "Take your business online in minutes" not in page


@pytest.mark.django_db
def test_home_page_speaks_english_after_choosing_english_in_the_footer(client):
    # Given a visitor on the home page
    assert '<option value="en" lang="en">English</option>' in client.get("/").content.decode()
    # When they pick English in the footer's language switcher
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    # Then the home page is in English, from the title to the buttons and the footer
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Take your business online in minutes" in page
    assert "Sign up with your mobile number, open an online shop, and accept payment by QRIS" in page
    assert ">Log in<" in page
    assert '<label for="lang">Language</label>' in page
    assert "Bawa usaha Anda online" not in page


@pytest.mark.django_db
def test_sign_up_page_speaks_indonesian_by_default_even_to_an_english_phone(client):
    # Many phones run in English while their owners read Indonesian: only the switcher changes the language.
    page = client.get("/akun/daftar/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert "Daftarkan usaha Anda" in page
    assert "Kirim kode" in page
    assert "Register your business" not in page


@pytest.mark.django_db
def test_sign_up_page_speaks_english_after_choosing_english(client):
    # Given a visitor who chose English in the footer
    client.post("/i18n/setlang/", {"language": "en", "next": "/akun/daftar/"})
    # When they open the sign-up page
    response = client.get("/akun/daftar/")
    # Then the page, its form and its help text are in English
    page = response.content.decode()
    assert response.status_code == 200
    assert "Register your business" in page
    assert "All you need is a mobile number. We text you a code; no password needed." in page
    assert "Mobile number" in page
    assert "For example: 0812-3456-7890. We will text a code to this number." in page
    assert ">Send code<" in page
    assert "Step 1 of 3" in page
    assert "Daftarkan usaha Anda" not in page


@pytest.mark.django_db
def test_sign_up_form_errors_come_in_english_too(client):
    # Given an English-speaking visitor who submits a number that is not a phone number
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.post("/akun/daftar/", {"phone": "12"})
    # Then the refusal is explained in English
    page = response.content.decode()
    assert response.status_code == 200
    assert "This mobile number was not recognised. Example: 0812-3456-7890." in page
    assert "Nomor HP tidak dikenali" not in page
