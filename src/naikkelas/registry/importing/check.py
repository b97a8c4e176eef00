"""The preview: read the whole file once, judge every row, find likely duplicates, write no business.

The good rows go into the scratch file (scratch.py) ready to be written; the registry is only read. The
result is the report, a JSON-able dict kept on the ImportBatch, so the preview page never reads the file
again. It holds the counts, the column mapping, the first BAD_ROWS_KEPT bad rows with their reasons and
the first DUPLICATES_KEPT flagged rows with what they match (the totals are always exact).
"""

import hashlib
import os
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from naikkelas.registry.importing.duplicates import DatabaseIdentifiers, mark_repeats_and_names
from naikkelas.registry.importing.errors import ImportFileError
from naikkelas.registry.importing.headers import find_header
from naikkelas.registry.importing.readers import open_table
from naikkelas.registry.importing.rows import Row, RowChecker, actor_roots
from naikkelas.registry.importing.scratch import Scratch, batch_tag

REPORT_VERSION = 1
BATCH_SIZE = 5_000
BAD_ROWS_KEPT = 1_000
DUPLICATES_KEPT = 1_000
MATCHES_PER_ROW = 5


def file_digest(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def run_check(
    *,
    path,
    actor,
    original_name: str,
    batch_id,
    scratch_path,
    exclude_batch_id=None,
    on_progress: Callable[[str, int], None] | None = None,
) -> dict:
    """Check the file at `path` as `actor` would import it, for the batch `batch_id` (its slugs are made
    now). Raises ImportFileError for a file that cannot be read; otherwise returns the report. Writes only
    the scratch file at `scratch_path`."""
    roots = actor_roots(actor)
    digest = file_digest(path)
    tag = batch_tag(batch_id)
    with open_table(path) as table:
        header_row, header = find_header(table.rows)
        checker = RowChecker(header, roots=roots)
        identifiers = DatabaseIdentifiers(exclude_batch_id=exclude_batch_id)
        scratch = Scratch(scratch_path)
        try:
            good = bad = empty = 0
            bad_rows: list[dict] = []
            batch: list[tuple[int, Row]] = []
            for number, cells in table.rows:
                result = checker.check(cells)
                if result is None:
                    empty += 1
                elif type(result) is list:
                    bad += 1
                    if len(bad_rows) < BAD_ROWS_KEPT:
                        bad_rows.append({"row": number, "reasons": result})
                else:
                    good += 1
                    batch.append((number, result))
                    if len(batch) >= BATCH_SIZE:
                        _keep(batch, scratch, identifiers, tag)
                        batch = []
                        if on_progress:
                            on_progress("check", good + bad)
            if not good and not bad:
                raise ImportFileError(_("Berkas hanya berisi judul kolom; tidak ada baris data."))
            _keep(batch, scratch, identifiers, tag)
            if on_progress:
                on_progress("check", good + bad)
            mark_repeats_and_names(scratch, exclude_batch_id=exclude_batch_id)
            scratch.seal()
            flagged = scratch.flagged_count()
            listing = scratch.listing(DUPLICATES_KEPT, MATCHES_PER_ROW)
        except BaseException:
            scratch.remove()
            raise
        scratch.close()
    return {
        "version": REPORT_VERSION,
        "file": {
            "name": original_name,
            "size": os.path.getsize(path),
            "sha256": digest,
            "header_row": header_row,
            **table.describe(),
        },
        "columns": header.as_report(),
        "scope": list(roots) if roots is not None else None,
        "counts": {"rows": good + bad, "good": good, "bad": bad, "empty": empty, "duplicates": flagged},
        "bad_rows": bad_rows,
        "duplicates": listing,
        "limits": {"bad_rows": BAD_ROWS_KEPT, "duplicates": DUPLICATES_KEPT},
        "batch": batch_id.hex,
        "checked_at": timezone.now().isoformat(),
        "checked_by": getattr(actor, "pk", None),
    }


def _keep(batch: list[tuple[int, Row]], scratch: Scratch, identifiers: DatabaseIdentifiers, tag: str) -> None:
    if batch:
        scratch.add(batch, tag)
        keys = [(number, row.nib, row.nik_hash, row.phone, row.external_ref) for number, row in batch]
        scratch.add_verdicts(identifiers.find(keys))
