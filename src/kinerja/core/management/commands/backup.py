"""``kinerja backup [-o FILE]``: the database and the uploaded files in one archive."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kinerja.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = _(
        "Mencadangkan basis data dan berkas unggahan ke satu arsip .tar.gz (aman dijalankan "
        "saat server berjalan)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            help=_("Berkas arsip (bawaan: kinerja-backup-<waktu>.tar.gz di folder ini)."),
        )

    def handle(self, *args, **options):
        try:
            result = backup_create(Path(options["output"]) if options["output"] else None)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            _("Cadangan %(path)s: basis data %(db)s, %(files)d berkas, %(mb).1f MB data.")
            % {
                "path": result.path,
                "db": result.database,
                "files": result.files,
                "mb": result.bytes / 1_000_000,
            }
        )
