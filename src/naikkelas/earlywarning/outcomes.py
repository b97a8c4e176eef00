"""Closures loaded in bulk (`naikkelas import outcomes FILE`), all or nothing like every import here.

The file (CSV or XLSX, read by the registry import's reader) has the columns `business_ref` (the agency's
reference the registry import stored, or `NK-<id>` as the snapshot writes it) and `closed_on` (2025-03-31 or
31/03/2025, not in the future). Every row is checked, every bad row listed with its reasons; nothing is
written unless all are good. A business already recorded as closed takes the file's date.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.core.models import AuditLog
from naikkelas.earlywarning.models import Closure
from naikkelas.ledger.importing import file_digest
from naikkelas.registry.importing.errors import ImportFileError
from naikkelas.registry.importing.readers import open_table
from naikkelas.registry.models import Business

HEADINGS = {"business_ref": ("business_ref", "ref usaha", "kode usaha"), "closed_on": ("closed_on", "tutup pada", "tanggal tutup")}
EARLIEST = dt.date(2000, 1, 1)
_DMY = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})")
_OWN_REF = re.compile(r"NK-(\d{1,18})")


@dataclass
class OutcomeReport:
    rows: int = 0
    closures: dict[int, dt.date] = field(default_factory=dict)  # business id -> day closed
    bad_rows: list[tuple[int, list[str]]] = field(default_factory=list)
    written: int = 0

    @property
    def ok(self) -> bool:
        return bool(self.closures) and not self.bad_rows


def _date(text: str) -> dt.date | None:
    if len(text) == 10 and text[4] == "-":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    match = _DMY.fullmatch(text)
    if match:
        try:
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        except ValueError:
            return None
    return None


def _business_ids(refs: set[str]) -> dict[str, int]:
    found = dict(Business.objects.filter(external_ref__in=refs).values_list("external_ref", "pk"))
    own = {ref: int(m.group(1)) for ref in refs - set(found) if (m := _OWN_REF.fullmatch(ref))}
    existing = set(Business.objects.filter(pk__in=own.values()).values_list("pk", flat=True))
    return found | {ref: pk for ref, pk in own.items() if pk in existing}


def check_outcomes(path) -> OutcomeReport:
    """Judge every row; write nothing. Raises ImportFileError for a file that cannot be read."""
    report = OutcomeReport()
    today = timezone.localdate()
    with open_table(path) as table:
        rows = iter(table.rows)
        for _number, headings in rows:
            if any(cell.strip() for cell in headings):
                break
        else:
            raise ImportFileError(_("Berkas kosong."))
        keys = [" ".join(h.lower().replace("_", " ").split()) for h in headings]
        at = {}
        for name, aliases in HEADINGS.items():
            found = [i for i, key in enumerate(keys) if key in {" ".join(a.replace("_", " ").split()) for a in aliases}]
            if not found:
                raise ImportFileError(
                    _("Kolom wajib tidak ada: %(missing)s. Judul kolom: business_ref, closed_on.") % {"missing": name}
                )
            at[name] = found[0]
        lines = []
        for number, cells in rows:
            cells = cells + [""] * (max(at.values()) + 1 - len(cells))
            ref, day_text = cells[at["business_ref"]].strip(), cells[at["closed_on"]].strip()
            if not ref and not day_text:
                continue
            lines.append((number, ref, day_text))
    ids = _business_ids({ref for _n, ref, _d in lines if ref})
    seen: dict[int, int] = {}
    for number, ref, day_text in lines:
        report.rows += 1
        reasons = []
        business = ids.get(ref)
        if not ref:
            reasons.append(_("Kolom business_ref kosong."))
        elif business is None:
            reasons.append(_("Usaha dengan business_ref '%(ref)s' tidak ada.") % {"ref": ref})
        elif business in seen:
            reasons.append(_("Usaha ini sudah ada di baris %(row)s.") % {"row": seen[business]})
        day = _date(day_text)
        if day is None:
            reasons.append(_("Tanggal tutup '%(text)s' tidak dikenali. Contoh: 2025-03-31 atau 31/03/2025.") % {"text": day_text})
        elif day > today:
            reasons.append(_("Tanggal tutup %(text)s di masa depan.") % {"text": day_text})
        elif day < EARLIEST:
            reasons.append(_("Tanggal tutup %(text)s terlalu lama (sebelum tahun 2000).") % {"text": day_text})
        if reasons:
            report.bad_rows.append((number, reasons))
        else:
            seen[business] = number
            report.closures[business] = day
    if not report.rows:
        raise ImportFileError(_("Berkas hanya berisi judul kolom; tidak ada baris data."))
    return report


@transaction.atomic
def import_outcomes(path, *, actor=None) -> OutcomeReport:
    """Check the file and, if every row is good, record its closures in one transaction."""
    report = check_outcomes(path)
    if not report.ok:
        return report
    existing = {c.business_id: c for c in Closure.objects.select_for_update().filter(business_id__in=report.closures)}
    new = []
    for business_id, day in report.closures.items():
        closure = existing.get(business_id)
        if closure is None:
            new.append(Closure(business_id=business_id, closed_on=day, source=Closure.Source.IMPORT, recorded_by=actor))
        elif closure.closed_on != day:
            closure.closed_on, closure.source, closure.recorded_by = day, Closure.Source.IMPORT, actor
            closure.recorded_at = timezone.now()
            closure.save()
    Closure.objects.bulk_create(new, batch_size=1000)
    report.written = len(report.closures)
    AuditLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action="earlywarning.import_outcomes",
        object_type="earlywarning.closure",
        object_id=file_digest(path),
        changes={"closures": report.written, "new": len(new)},
    )
    return report
