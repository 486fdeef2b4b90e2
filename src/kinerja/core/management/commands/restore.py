"""``kinerja restore FILE [--force]``: put a backup back into the configured data folder."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kinerja.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = _(
        "Memulihkan arsip dari 'kinerja backup' ke basis data dan folder berkas yang diatur "
        "(hentikan server dan pekerja lebih dulu)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help=_("Berkas arsip cadangan (.tar.gz)."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Timpa basis data dan berkas yang sudah ada."),
        )

    def handle(self, *args, **options):
        try:
            result = backup_restore(Path(options["archive"]), force=options["force"])
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            _("Dipulihkan: basis data %(db)s dan %(files)d berkas dari cadangan %(at)s.")
            % {"db": result.database, "files": result.files, "at": result.created_at}
        )
        if result.moved_aside:
            self.stdout.write(_("Berkas lama disimpan di %(path)s.") % {"path": result.moved_aside})
        if result.unapplied:
            self.stdout.write(
                _("Cadangan ini dari versi lebih lama: jalankan 'kinerja migrate' sekarang.")
            )
