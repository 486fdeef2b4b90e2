"""``kinerja sop validate|load|list|show``: SOP definitions from the command line."""

from __future__ import annotations

import json
import textwrap
from argparse import ArgumentParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core import formatting as fmt
from kinerja.sop.models import SopVersion
from kinerja.sop.selectors import sop_list, sop_version

if TYPE_CHECKING:
    from kinerja.sop.schema import SopDefinition


class Command(BaseCommand):
    help = "Memeriksa, memuat dan menampilkan definisi SOP (YAML)."

    # Started often (by people, cron): the system checks (and the URLconf they import) are
    # left to `serve`, `worker` and `migrate`.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        validate = sub.add_parser("validate", help="Periksa berkas SOP tanpa menyimpan.")
        validate.add_argument("file")
        load = sub.add_parser("load", help="Muat berkas SOP sebagai versi baru.")
        load.add_argument("file")
        sub.add_parser("list", help="Daftar SOP (versi terbaru).")
        show = sub.add_parser("show", help="Tampilkan satu SOP.")
        show.add_argument("code")
        show.add_argument("--version", type=int, dest="sop_version", default=None)
        show.add_argument("--json", action="store_true", dest="as_json")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            self._list()
        elif action == "show":
            self._show(options["code"], options["sop_version"], options["as_json"])
        else:
            self._from_file(action, options["file"])

    def _from_file(self, action: str, file: str) -> None:
        # The YAML loader (ruamel.yaml, pydantic) only for the actions that read a file:
        # `list` and `show` are started often and stay light (docs/speed.md, "Start-up").
        from kinerja.sop.loader import SopLoadError

        try:
            if action == "validate":
                self._validate(file)
            else:
                self._load(file)
        except SopLoadError as exc:
            for problem in exc.errors:
                self.stderr.write(str(problem))
            raise CommandError(
                _("Berkas SOP tidak valid: %(count)d masalah") % {"count": len(exc.errors)}
            ) from exc

    def _validate(self, file: str) -> None:
        from kinerja.sop.loader import load_sop_file

        sop = load_sop_file(file)
        self.stdout.write(
            _("OK: %(code)s (%(steps)d langkah)") % {"code": sop.code, "steps": len(sop.steps)}
        )

    def _load(self, file: str) -> None:
        from kinerja.sop.services import sop_load_file

        if not Path(file).is_file():
            raise CommandError(_("Berkas tidak ditemukan: %s") % file)
        try:
            version, created = sop_load_file(path=file)
        except UnicodeDecodeError as exc:
            raise CommandError(_("Berkas bukan UTF-8: %s") % file) from exc
        values = {"code": version.code, "version": version.version}
        if created:
            self.stdout.write(_("%(code)s: versi %(version)d dimuat") % values)
        else:
            self.stdout.write(_("%(code)s: tidak berubah, tetap versi %(version)d") % values)

    def _list(self) -> None:
        versions = sop_list()
        if not versions:
            self.stdout.write(_("Belum ada SOP yang dimuat."))
            return
        rows = [(_("Kode"), _("Versi"), _("Nama SOP"), _("Dimuat"))]
        for v in versions:
            loaded = timezone.localtime(v.loaded_at).strftime("%Y-%m-%d %H:%M")
            rows.append((v.code, f"v{v.version}", v.title, loaded))
        self._table(rows)

    def _show(self, code: str, version_number: int | None, as_json: bool) -> None:
        try:
            version = sop_version(code, version_number)
        except SopVersion.DoesNotExist as exc:
            raise CommandError(_("SOP tidak ditemukan: %s") % code) from exc
        if as_json:
            # Re-dumped from the model: PostgreSQL's jsonb does not keep the key order.
            definition = version.spec.model_dump(mode="json")
            self.stdout.write(json.dumps(definition, ensure_ascii=False, indent=2))
            return
        self._human(version, version.spec)

    # Output helpers ---------------------------------------------------------------------

    def _human(self, version: SopVersion, sop: SopDefinition) -> None:
        w = self.stdout.write
        ident = sop.identity
        w(f"{sop.title}  [{sop.code} v{version.version}]")
        for label, value in [
            (_("Pemerintah"), ident.government),
            (_("Instansi"), ident.agency),
            (_("Unit"), ident.unit),
            (_("Alamat"), ident.address),
            (_("Nomor SOP"), ident.number),
            (_("Tgl. pembuatan"), ident.date_made),
            (_("Tgl. revisi"), ident.date_revised),
            (_("Tgl. efektif"), ident.date_effective),
            (
                _("Disahkan oleh"),
                ", ".join(
                    filter(
                        None,
                        [
                            ident.approved_by.position,
                            ident.approved_by.name,
                            (
                                f"NIP {fmt.nip(ident.approved_by.nip)}"
                                if ident.approved_by.nip
                                else ""
                            ),
                        ],
                    )
                ),
            ),
        ]:
            w(f"  {label + ':':<16}{value or '-'}")
        for label, items in [
            (_("Dasar Hukum"), sop.legal_basis),
            (_("Kualifikasi Pelaksana"), sop.executor_qualifications),
            (_("Keterkaitan"), sop.related_sops),
            (_("Peralatan/Perlengkapan"), sop.equipment),
            (_("Peringatan"), sop.warnings),
            (_("Pencatatan dan Pendataan"), sop.records),
        ]:
            w("")
            w(label)
            if not items:
                w("  -")
            for i, item in enumerate(items, 1):
                lines = textwrap.wrap(item, 88) or [""]
                w(f"  {i}. {lines[0]}")
                for more in lines[1:]:
                    w(f"     {more}")
        w("")
        w(_("Pelaksana"))
        for e in sop.executors:
            w(f"  {e.code:<22}{e.name}" + (f" ({e.description})" if e.description else ""))
        w("")
        rows = [
            (
                "No",  # not gettext: Django's catalogue turns "No" into "Tidak"
                _("Kegiatan"),
                _("Pelaksana"),
                _("Kelengkapan"),
                _("Waktu"),
                _("Output"),
                _("Lanjut"),
            )
        ]
        for s in sop.steps:
            if s.decision:
                yes = s.decision.yes if s.decision.yes is not None else _("selesai")
                flow = f"{s.decision.question} {s.decision.yes_label}→{yes}, "
                flow += f"{s.decision.no_label}→{s.decision.no}"
            else:
                flow = str(s.next) if s.next is not None else _("selesai")
            activity = s.activity if len(s.activity) <= 48 else s.activity[:47] + "…"
            executor = sop.executor(s.executor).name + (" *" if s.scope == "unit" else "")
            rows.append(
                (
                    str(s.number),
                    activity,
                    executor,
                    ", ".join(s.inputs),
                    s.time_text,
                    s.output,
                    flow,
                )
            )
        self._table(rows)
        w(_("* per unit"))
        if sop.schedule:
            sch = sop.schedule
            w("")
            w(
                _("Jadwal: langkah %(step)d dibuka tanggal %(day)d bulan %(months)s, %(time)s")
                % {
                    "step": sch.step,
                    "day": sch.day,
                    "months": ",".join(map(str, sch.months)),
                    "time": sch.time.strftime("%H:%M"),
                }
            )

    def _table(self, rows: list[tuple[str, ...]]) -> None:
        widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
        for n, row in enumerate(rows):
            line = "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True))
            self.stdout.write(line.rstrip())
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
