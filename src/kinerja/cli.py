"""The ``kinerja`` command.

``kinerja demo``, ``kinerja serve``, ``kinerja worker``, ``kinerja tick``, ``kinerja sop …``,
``kinerja calendar …``, ``kinerja import …`` and ``kinerja report …`` are Django management
commands of the project's apps; every other Django command (``migrate``,
``createsuperuser``, …) works too. Demo mode and the data folder must be known before Django
reads its settings, so they are settled here first.
"""

from __future__ import annotations

import os
import sys


def _early_option(argv: list[str], name: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    command = argv[1] if len(argv) > 1 else "help"
    if command == "demo":
        os.environ["KINERJA_DEMO"] = "1"
        data_dir = _early_option(argv, "--data-dir")
        if data_dir:
            os.environ["KINERJA_DATA_DIR"] = data_dir
        # The demo always runs on its own SQLite file, never on a configured server database.
        os.environ.pop("KINERJA_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.config.settings")
    from django.core.management import execute_from_command_line

    argv[0] = "kinerja"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
