"""``kinerja report CODE --agency … --period … --format … -o FILE``: generate a document,
archive it (as a system generation) and write a copy to FILE."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinerja.core.errors import ApplicationError
from kinerja.reports.generators import registry
from kinerja.reports.services import document_generate, verify_url


class Command(BaseCommand):
    help = "Membuat dokumen (laporan, SOP, monitoring) dan mengarsipkannya."

    # Started often (by people, cron): the system checks (and the URLconf they import) are
    # left to `serve`, `worker` and `migrate`.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("code", nargs="?", help="jenis dokumen: " + ", ".join(registry.codes()))
        parser.add_argument("--agency", help="kode instansi, misalnya kec-binamu")
        parser.add_argument("--period", help="triwulan, misalnya 2026-Q3")
        parser.add_argument("--unit", help="kode unit kerja (laporan-unit)")
        parser.add_argument("--year", type=int, help="tahun (lkjip)")
        parser.add_argument("--half", help="semester, misalnya 2026-H2 (monitoring-sop)")
        parser.add_argument("--case", type=int, help="id kasus (disposisi)")
        parser.add_argument("--task", type=int, help="id tugas (disposisi)")
        parser.add_argument("--sop", help="kode SOP (sop, monitoring-sop)")
        parser.add_argument("--paper", choices=["A4", "F4", "a4", "f4"], help="ukuran kertas")
        parser.add_argument(
            "--date",
            dest="issue_date",
            help="tanggal dokumen (baris tempat dan tanggal), misalnya 2026-10-05; "
            "bawaan: tanggal kasus periode selesai, atau hari ini bila belum selesai",
        )
        parser.add_argument("--format", dest="fmt", help="pdf, xlsx, docx atau svg")
        parser.add_argument("-o", "--output", help="berkas tujuan")
        parser.add_argument("--list", action="store_true", help="daftar jenis dokumen")

    def handle(self, *args, **options) -> None:
        if options["list"] or not options["code"]:
            for generator in registry:
                needs = ", ".join(generator.required)
                self.stdout.write(
                    f"{generator.code:18} {', '.join(generator.formats):16} {generator.title}"
                    f" (perlu: {needs})"
                )
            return
        code = options["code"]
        try:
            generator = registry.get(code)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        fmt = (options["fmt"] or generator.formats[0]).lower()
        wanted = set(generator.required) | set(generator.optional)
        params = {
            key: options[key]
            for key in ("agency", "period", "unit", "year", "half", "case", "task", "sop", "paper")
            if options.get(key) not in (None, "") and (key in wanted or key == "agency")
        }
        if options.get("issue_date"):
            params["issue_date"] = options["issue_date"]
        try:
            document = document_generate(actor=None, code=code, fmt=fmt, **params)
        except ApplicationError as exc:
            raise CommandError(str(exc)) from exc
        output = Path(options["output"] or document.filename)
        output.parent.mkdir(parents=True, exist_ok=True)
        with document.file.open("rb") as source:
            output.write_bytes(source.read())
        self.stdout.write(str(output.resolve()))
        self.stdout.write(f"SHA-256: {document.sha256}")
        self.stdout.write(f"Verifikasi: {verify_url(document.short_code)}")
