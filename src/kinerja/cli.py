"""The ``kinerja`` command.

``kinerja demo``, ``kinerja serve``, ``kinerja worker``, ``kinerja tick``, ``kinerja sop …``,
``kinerja calendar …``, ``kinerja import …`` and ``kinerja report …`` are Django management
commands of the project's apps; every other Django command (``migrate``,
``createsuperuser``, …) works too. Demo mode and the data folder must be known before Django
reads its settings, so they are settled here first:

* ``kinerja demo`` runs in demo mode on its own SQLite file and leaves a marker
  (``demo.json``) in its data folder;
* any other command started where that marker is found (``./var``, or ``KINERJA_DATA_DIR``)
  and with no production configuration (``KINERJA_SECRET_KEY``, ``KINERJA_DATABASE_URL``)
  uses the demo's data the same way, with no variable to export;
* anything else is production and needs its variables, as before.

A configuration or usage error is one line (Indonesian, English when ``KINERJA_LANGUAGE`` or
the locale says ``en``) saying what to do, never a traceback; ``--traceback`` shows it.
"""

from __future__ import annotations

import gettext as pygettext
import json
import os
import sys
from pathlib import Path

#: The file ``kinerja demo`` writes into its data folder (see :func:`use_demo_folder`).
DEMO_MARKER = "demo.json"
#: Commands that work without settings (Django lists its own commands then).
_NO_SETTINGS = {"help", "--help", "-h", "version", "--version"}
#: Commands that only read and print: started often (by people, cron), they run with
#: :mod:`kinerja.config.command_settings` (no admin, sessions, task queue; docs/speed.md).
_READING = {("calendar", "due"), ("calendar", "holidays"), ("sop", "list"), ("sop", "show")}

_translation: pygettext.NullTranslations = pygettext.NullTranslations()


def gettext(message: str) -> str:
    """The project's catalogue read without Django (settings may be what is broken)."""
    return _translation.gettext(message)


def chosen_language(environ: os._Environ | dict) -> str:
    """``en`` or ``id``: ``KINERJA_LANGUAGE``, else the locale (LANGUAGE, LC_ALL, LC_MESSAGES,
    LANG); Indonesian unless English is asked for."""
    for name in ("KINERJA_LANGUAGE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = (environ.get(name) or "").strip().lower()
        if not value:
            continue
        if value.startswith("en"):
            return "en"
        if value.startswith("id") or name == "KINERJA_LANGUAGE":
            return "id"
    return "id"


def _load_catalogue(language: str) -> None:
    global _translation
    if language == "id":
        _translation = pygettext.NullTranslations()
        return
    localedir = Path(__file__).resolve().parent / "locale"
    _translation = pygettext.translation(
        "django", localedir=str(localedir), languages=[language], fallback=True
    )


def _early_option(argv: list[str], name: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def _site_url(host: str, port: str) -> str:
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    return f"http://{host if ':' not in host else f'[{host}]'}:{port}"


def prepare_demo(argv: list[str], environ) -> None:
    """``kinerja demo``: demo mode, its data folder, its own SQLite file, and the public
    address taken from ``--host``/``--port`` (for the links and QR codes) unless configured."""
    environ["KINERJA_DEMO"] = "1"
    data_dir = _early_option(argv, "--data-dir")
    if data_dir:
        environ["KINERJA_DATA_DIR"] = data_dir
    # The demo always runs on its own SQLite file, never on a configured server database.
    environ.pop("KINERJA_DATABASE_URL", None)
    if not environ.get("KINERJA_SITE_URL"):
        host = _early_option(argv, "--host") or "127.0.0.1"
        port = _early_option(argv, "--port") or "8000"
        environ["KINERJA_SITE_URL"] = _site_url(host, port)


def use_demo_folder(environ) -> Path | None:
    """Use the demo's data when the demo ran here and nothing is configured for production.

    Returns the data folder used, or None (production: its variables are required)."""
    if environ.get("KINERJA_SECRET_KEY") or environ.get("KINERJA_DATABASE_URL"):
        return None
    if environ.get("KINERJA_DEMO"):
        return None  # already decided by whoever started us
    data_dir = Path(environ.get("KINERJA_DATA_DIR") or "var").resolve()
    marker = data_dir / DEMO_MARKER
    if not marker.is_file():
        return None
    try:
        recorded = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = {}
    environ["KINERJA_DEMO"] = "1"
    environ["KINERJA_DATA_DIR"] = str(data_dir)
    if recorded.get("site_url") and not environ.get("KINERJA_SITE_URL"):
        environ["KINERJA_SITE_URL"] = str(recorded["site_url"])
    return data_dir


def write_demo_marker(data_dir: Path, site_url: str) -> None:
    """Called by ``kinerja demo``: the other commands started in this folder find the demo."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / DEMO_MARKER).write_text(
        json.dumps({"site_url": site_url, "written_by": "kinerja demo"}, indent=2) + "\n",
        encoding="utf-8",
    )


def settings_module(argv: list[str]) -> str:
    """The settings of this command: the reading commands' lighter set, else the full one."""
    words = tuple(arg for arg in argv[1:3])
    if words in _READING and "--settings" not in " ".join(argv):
        return "kinerja.config.command_settings"
    return "kinerja.config.settings"


def _fail(message: str, code: int = 2) -> None:
    sys.stderr.write(f"kinerja: {message}\n")
    raise SystemExit(code)


def _configuration_message(exc: Exception) -> str:
    text = str(exc)
    if "KINERJA_SECRET_KEY" in text:
        return gettext(
            "KINERJA_SECRET_KEY belum diatur. Untuk mencoba, jalankan `kinerja demo` di folder "
            "ini dulu; untuk produksi atur KINERJA_SECRET_KEY dan KINERJA_DATABASE_URL (lihat "
            "README, bagian Konfigurasi)."
        )
    return gettext(
        "Konfigurasi salah: %(error)s. Periksa variabel KINERJA_* (README, Konfigurasi)."
    ) % {"error": text.splitlines()[0] if text else type(exc).__name__}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "kinerja"
    command = argv[1] if len(argv) > 1 else "help"
    language = chosen_language(os.environ)
    _load_catalogue(language)
    show_traceback = "--traceback" in argv

    if command == "demo":
        prepare_demo(argv, os.environ)
    else:
        use_demo_folder(os.environ)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module(argv))

    from django.core.exceptions import ImproperlyConfigured

    if command not in _NO_SETTINGS:
        try:
            import django
            from django.conf import settings

            settings.INSTALLED_APPS  # noqa: B018 - reads the settings: fails here if wrong
            django.setup()
        except ImproperlyConfigured as exc:
            if show_traceback:
                raise
            _fail(_configuration_message(exc))
        from django.core.management import get_commands
        from django.utils import translation

        translation.activate(language)
        if not command.startswith("-") and command not in get_commands():
            _fail(
                gettext("Perintah '%(name)s' tidak dikenal; `kinerja help` menampilkan daftarnya.")
                % {"name": command}
            )

    from django.core.management import execute_from_command_line
    from django.db import DatabaseError

    try:
        execute_from_command_line(argv)
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except BrokenPipeError:
        # `kinerja calendar holidays 2026 | head`: the reader left; nothing more to say.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(0) from None
    except ImproperlyConfigured as exc:
        if show_traceback:
            raise
        _fail(_configuration_message(exc))
    except DatabaseError as exc:
        if show_traceback:
            raise
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _fail(
            gettext(
                "Basis data tidak dapat dipakai (%(error)s). Jalankan `kinerja migrate` untuk "
                "basis data baru, atau `kinerja demo` untuk mencoba; periksa "
                "KINERJA_DATABASE_URL."
            )
            % {"error": first}
        )


if __name__ == "__main__":
    main()
