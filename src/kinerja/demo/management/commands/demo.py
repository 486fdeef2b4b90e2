"""``kinerja demo``: the demo office on SQLite, ready in the browser.

Creates and migrates the database in the data folder, loads the built-in SOPs and the demo
office with its history (once: running again keeps the data; ``--reset`` starts over),
prints the address and the accounts, runs the background loop of ``kinerja worker`` (e-mail,
printed on the console, and the scheduler tick) in a thread and serves the application with
waitress (a production WSGI server). It leaves ``demo.json`` in the data folder: every other
``kinerja`` command started in the same folder then uses the demo's data (see ``kinerja.cli``).
"""

from __future__ import annotations

import shutil

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _

from kinerja.core import formatting as fmt


class Command(BaseCommand):
    help = _("Menjalankan Kinerja dengan kantor contoh (Kecamatan Binamu) di SQLite.")

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", help=_("Folder data (bawaan: ./var)."))
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--reset", action="store_true", help=_("Hapus data dan mulai lagi."))
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help=_("Siapkan data saja, tanpa menjalankan server."),
        )

    def handle(self, *args, **options):
        if not settings.DEMO:
            raise CommandError("kinerja demo must be started through the kinerja command")
        data_dir = settings.DATA_DIR
        if options["reset"]:
            connections.close_all()
            db = data_dir / "kinerja.sqlite3"
            for path in (db, db.with_suffix(".sqlite3-wal"), db.with_suffix(".sqlite3-shm")):
                path.unlink(missing_ok=True)
            shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
            self.stdout.write(_("Data lama dihapus."))
        data_dir.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)

        from kinerja.demo.history import ensure_demo

        created = ensure_demo(stdout=self.stdout)
        if not created:
            self.stdout.write(
                _("Data kantor contoh sudah ada; dipakai lagi (--reset untuk mulai dari awal).")
            )
        # Every other `kinerja` command started in this folder now uses the demo's data.
        from kinerja.cli import write_demo_marker

        write_demo_marker(data_dir, settings.SITE_URL)
        self.print_accounts(options)
        if options["no_serve"]:
            return
        self.start_background()
        from kinerja.core.management.commands.serve import run_server

        run_server(options["host"], options["port"], 8, self.stdout)

    def print_accounts(self, options):
        from kinerja.demo.office import PASSWORD, PEOPLE

        host = options["host"]
        url = f"http://{host if ':' not in host else f'[{host}]'}:{options['port']}/"
        self.stdout.write("")
        self.stdout.write(_("Alamat: %(url)s") % {"url": url})
        self.stdout.write(_("Data: %(path)s") % {"path": settings.DATA_DIR})
        self.stdout.write(_("Akun contoh (kata sandi semuanya: %(pw)s):") % {"pw": PASSWORD})
        for username, (full_name, nip) in PEOPLE.items():
            shown = f"  NIP {fmt.nip(nip)}" if nip else ""
            self.stdout.write(f"  {username:<22} {full_name}{shown}")
        self.stdout.write("")

    def start_background(self):
        """The loop of ``kinerja worker`` (queued e-mail, printed by the console backend, and
        the scheduler tick every minute) in a background thread beside the web server."""
        from kinerja.notifications.worker import start_in_thread

        start_in_thread(report=self.stdout.write)
