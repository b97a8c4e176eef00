"""`naikkelas import businesses FILE [--commit] [--skip-invalid] [--officer PHONE] [--import-duplicates]`

Checks an agency's spreadsheet (CSV or XLSX) and prints the same report as the preview page: the columns
found, counts, every bad row with its reason, likely duplicates. Nothing is written without `--commit`.

With `--commit` the rows are written in one transaction, as the officer given by `--officer` (whose regions
limit the rows, as on the web; an admin may import anywhere). A file with bad rows is refused unless
`--skip-invalid`; likely duplicates are skipped unless `--import-duplicates` (a repeated agency id is
always skipped). Without `--officer` the check covers every region and nothing can be committed.

Exit status: 0 when the file was read (and, with --commit, written); 1 with a message otherwise.
"""

import os
import shutil
import tempfile
import uuid

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from naikkelas.accounts.models import User
from naikkelas.accounts.phones import normalize_phone
from naikkelas.registry.importing.check import run_check
from naikkelas.registry.importing.commit import run_commit
from naikkelas.registry.importing.errors import CommitRefused, ImportFileError
from naikkelas.registry.importing.report import commit_line, summary_lines
from naikkelas.registry.models import ImportBatch


class Command(BaseCommand):
    help = _("Periksa (dan dengan --commit, simpan) berkas CSV/XLSX daftar UMKM dari dinas.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("berkas .csv atau .xlsx"))
        parser.add_argument("--commit", action="store_true", help=_("simpan usaha yang baik (satu transaksi)"))
        parser.add_argument("--skip-invalid", action="store_true", help=_("lewati baris yang salah saat menyimpan"))
        parser.add_argument("--officer", help=_("nomor HP petugas atau admin yang mengimpor (wajib untuk --commit)"))
        parser.add_argument(
            "--import-duplicates",
            action="store_true",
            help=_("tetap impor baris yang mirip usaha lain (bawaan: dilewati)"),
        )

    def handle(self, *args, file, commit, skip_invalid, officer, import_duplicates, **options):
        actor = self._officer(officer) if officer else None
        if commit and actor is None:
            raise CommandError(_("--commit memerlukan --officer NOMOR_HP (petugas atau admin yang mengimpor)."))
        if not os.path.isfile(file):
            raise CommandError(_("Berkas %(file)s tidak ada.") % {"file": file})
        workdir = tempfile.mkdtemp(prefix="naikkelas-import-")
        scratch_path = os.path.join(workdir, "scratch.sqlite3")
        batch_id = uuid.uuid4()
        try:
            try:
                report = run_check(
                    path=file,
                    actor=actor,
                    original_name=os.path.basename(file),
                    batch_id=batch_id,
                    scratch_path=scratch_path,
                )
            except ImportFileError as error:
                raise CommandError(_("Berkas tidak bisa dibaca: %(reason)s") % {"reason": error}) from None
            for line in summary_lines(report):
                self.stdout.write(line)
            if not commit:
                self.stdout.write(_("Belum ada yang disimpan. Tambahkan --commit untuk menyimpan."))
                return
            decisions = {"default": "import" if import_duplicates else "skip"}
            try:
                with transaction.atomic():
                    # The batch row is part of the same all-or-nothing transaction as its businesses.
                    batch = ImportBatch.objects.create(
                        id=batch_id,
                        uploaded_by=actor,
                        original_name=os.path.basename(file)[:255],
                        stored_path=os.path.abspath(file)[:500],
                        report=report,
                    )
                    result = run_commit(
                        batch=batch,
                        actor=actor,
                        scratch_path=scratch_path,
                        skip_invalid=skip_invalid,
                        decisions=decisions,
                    )
            except CommitRefused as error:
                raise CommandError(_("Tidak ada yang disimpan: %(reason)s") % {"reason": error}) from None
            self.stdout.write(commit_line(result))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    def _officer(self, phone: str) -> User:
        try:
            e164 = normalize_phone(phone)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        user = User.objects.filter(phone=e164, is_active=True).first()
        if user is None or not (user.is_officer or user.is_admin):
            raise CommandError(_("Tidak ada petugas atau admin aktif dengan nomor %(phone)s.") % {"phone": phone})
        return user
