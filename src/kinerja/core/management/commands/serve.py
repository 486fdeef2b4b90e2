"""``kinerja serve``: the production WSGI server (waitress) on the configured database."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


def run_server(host: str, port: int, threads: int, stdout) -> None:
    from waitress import serve

    from kinerja.config.wsgi import application
    from kinerja.core.bodylimit import server_max_body
    from kinerja.core.proxy import behind_proxies

    stdout.write(
        _("Kinerja berjalan di http://%(host)s:%(port)s/ (tekan Ctrl+C untuk berhenti)")
        % {"host": host if ":" not in host else f"[{host}]", "port": port}
    )
    serve(
        behind_proxies(application, settings.TRUSTED_PROXIES),
        host=host,
        port=port,
        threads=threads,
        ident="Kinerja",
        clear_untrusted_proxy_headers=False,  # behind_proxies clears them (all but the proxy)
        # a body beyond every endpoint's cap is refused (413) before it is received
        max_request_body_size=server_max_body(),
    )


class Command(BaseCommand):
    help = _("Menjalankan server web Kinerja (waitress) untuk produksi.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args, **options):
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        if settings.DEBUG:
            self.stderr.write(_("Peringatan: KINERJA_DEBUG aktif; jangan dipakai di produksi."))
        run_server(options["host"], options["port"], options["threads"], self.stdout)
