"""`naikkelas serve [--bind 127.0.0.1:8000] [--workers N]`: the production web server.

gunicorn runs `naikkelas.wsgi:application`; WhiteNoise (in the middleware) serves the static files, so no
other server is needed in front on a small deployment. With production static storage (hashed, compressed
files in STATIC_ROOT) `collectstatic` runs first, since WhiteNoise then serves only what was collected.

The command replaces itself with gunicorn (exec), so gunicorn's master gets the terminal's signals directly:
Ctrl-C or SIGTERM stops it cleanly, and a process supervisor sees one process.
"""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _


def default_workers() -> int:
    """gunicorn's usual 2 × cores + 1, at most 8: each worker holds a copy of the app in memory."""
    if os.environ.get("WEB_CONCURRENCY", "").isdigit():
        return max(1, int(os.environ["WEB_CONCURRENCY"]))
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def gunicorn_has_option(flag: str) -> bool:
    from gunicorn.config import KNOWN_SETTINGS

    return any(flag in (setting.cli or ()) for setting in KNOWN_SETTINGS)


def needs_collectstatic() -> bool:
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    return "Manifest" in backend or not getattr(settings, "WHITENOISE_USE_FINDERS", False)


class Command(BaseCommand):
    help = _("Jalankan server web produksi (gunicorn; berkas statis lewat WhiteNoise).")

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help=_("alamat:port, bawaan 127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=None, help=_("jumlah proses pekerja gunicorn"))
        parser.add_argument("--timeout", type=int, default=60, help=_("detik sebelum pekerja yang macet diganti"))

    def handle(self, *args, bind, workers, timeout, **options):
        workers = workers if workers is not None else default_workers()
        if workers < 1:
            raise CommandError(_("--workers harus 1 atau lebih."))
        if needs_collectstatic():
            self.stdout.write(_("Menyiapkan berkas statis (collectstatic)..."))
            call_command("collectstatic", interactive=False, verbosity=0)
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "naikkelas.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--timeout",
            str(timeout),
            "--access-logfile",
            "-",
        ]
        if gunicorn_has_option("--no-control-socket"):
            # Newer gunicorn opens a control socket at one fixed path in $HOME, which two servers on one
            # machine (a demo beside a test run) would fight over; nothing here uses it.
            argv.append("--no-control-socket")
        message = _("Melayani di http://%(bind)s dengan %(n)s pekerja (Ctrl-C untuk berhenti).")
        self.stdout.write(message % {"bind": bind, "n": workers})
        self.stdout.flush()
        sys.stderr.flush()
        # The workers open their own connections; nothing of this process should leak into them.
        connections.close_all()
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.setdefault("DJANGO_SETTINGS_MODULE", "naikkelas.settings")
        os.execve(sys.executable, argv, env)
