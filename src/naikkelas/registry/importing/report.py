"""The check's report in words, for the command line and the preview page (same sentences in both)."""

from django.utils.translation import gettext as _

from naikkelas.registry.importing.duplicates import KIND_LABELS


def number(value: int) -> str:
    """12345 -> "12.345", the Indonesian way."""
    return f"{value:,}".replace(",", ".")


def describe_match(match: dict) -> str:
    """"nomor HP sama dengan baris 4 (Warung Bu Sri)" or "... dengan usaha #12 (Warung Bu Sri) di basis data"."""
    kind = str(KIND_LABELS.get(match.get("kind"), match.get("kind", "")))
    if "row" in match:
        return _("%(kind)s dengan baris %(row)s (%(name)s)") % {
            "kind": kind,
            "row": match["row"],
            "name": match.get("row_name", ""),
        }
    return _("%(kind)s dengan usaha #%(id)s (%(name)s) yang sudah terdaftar") % {
        "kind": kind,
        "id": match.get("business_id", ""),
        "name": match.get("business_name", ""),
    }


def file_line(report: dict) -> str:
    info = report["file"]
    if info.get("format") == "xlsx":
        kind = _("XLSX, lembar '%(sheet)s'") % {"sheet": info.get("sheet", "")}
    else:
        delimiter = {"\t": "tab"}.get(info.get("delimiter"), info.get("delimiter"))
        kind = _("CSV, %(encoding)s, pemisah '%(delimiter)s'") % {
            "encoding": info.get("encoding"),
            "delimiter": delimiter,
        }
    return _("Berkas: %(name)s (%(kind)s); judul kolom di baris %(row)s.") % {
        "name": info.get("name"),
        "kind": kind,
        "row": info.get("header_row"),
    }


def summary_lines(report: dict) -> list[str]:
    counts = report["counts"]
    columns = report["columns"]
    lines = [file_line(report)]
    lines += report["file"].get("notes", [])
    lines.append(
        _("Kolom dikenali: %(list)s.")
        % {"list": "; ".join(f"{m['column']} → {m['label']}" for m in columns["mapping"])}
    )
    if columns["unknown_columns"]:
        lines.append(
            _("Kolom tidak dikenali (tidak dibaca): %(list)s.") % {"list": ", ".join(columns["unknown_columns"])}
        )
    if columns["ignored_columns"]:
        lines.append(_("Kolom diabaikan: %(list)s.") % {"list": ", ".join(columns["ignored_columns"])})
    lines.append(
        _("Baris data: %(rows)s — baik %(good)s, salah %(bad)s; baris kosong dilewati: %(empty)s.")
        % {k: number(counts[k]) for k in ("rows", "good", "bad", "empty")}
    )
    lines.append(_("Kemungkinan duplikat: %(n)s baris.") % {"n": number(counts["duplicates"])})
    if report["bad_rows"]:
        lines.append(_("Baris yang salah:"))
        for item in report["bad_rows"]:
            lines.append(_("  baris %(row)s: %(reasons)s") % {"row": item["row"], "reasons": " ".join(item["reasons"])})
        hidden = counts["bad"] - len(report["bad_rows"])
        if hidden > 0:
            lines.append(_("  … dan %(n)s baris salah lainnya.") % {"n": number(hidden)})
    if report["duplicates"]:
        lines.append(_("Kemungkinan duplikat (dilewati kecuali dipilih 'tetap impor'):"))
        for item in report["duplicates"]:
            lines.append(
                _("  baris %(row)s (%(name)s): %(matches)s")
                % {
                    "row": item["row"],
                    "name": item["name"],
                    "matches": "; ".join(describe_match(m) for m in item["matches"]),
                }
            )
        hidden = counts["duplicates"] - len(report["duplicates"])
        if hidden > 0:
            lines.append(_("  … dan %(n)s baris lainnya.") % {"n": number(hidden)})
    return lines


def commit_line(result: dict) -> str:
    return _(
        "Tersimpan %(written)s usaha. Dilewati: %(bad)s baris salah, %(dups)s kemungkinan duplikat; "
        "duplikat yang tetap diimpor: %(imported)s."
    ) % {
        "written": number(result["written"]),
        "bad": number(result["skipped_bad"]),
        "dups": number(result["skipped_duplicates"]),
        "imported": number(result["imported_duplicates"]),
    }
