"""English is complete: every translatable string of the code and templates has an English
translation, none is fuzzy, and the compiled catalogue matches its source.

Indonesian is the source language (msgids); English lives in src/kinerja/locale/en. After
changing strings, run `scripts/update-translations` and translate what it reports.
"""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

import kinerja
from tests.tools import require_tool

PACKAGE = Path(kinerja.__file__).parent
CATALOGUE = PACKAGE / "locale" / "en" / "LC_MESSAGES"


def _require(tool: str) -> str:
    return require_tool(tool, package="gettext")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """A fresh extraction of the package's strings, merged with the committed catalogue."""
    _require("xgettext")
    root = tmp_path_factory.mktemp("i18n")
    tree = root / "kinerja"
    shutil.copytree(PACKAGE, tree, ignore=shutil.ignore_patterns("__pycache__", "locale"))
    locale = root / "locale" / "en" / "LC_MESSAGES"
    locale.mkdir(parents=True)
    shutil.copy(CATALOGUE / "django.po", locale / "django.po")
    import os

    cwd = os.getcwd()
    os.chdir(tree)
    try:
        with override_settings(LOCALE_PATHS=[root / "locale"]):
            call_command(
                "makemessages",
                locale=["en"],
                verbosity=0,
                no_obsolete=True,
                ignore_patterns=["migrations/*"],
            )
    finally:
        os.chdir(cwd)
    return locale / "django.po"


def _entries(po: Path, *flags: str) -> str:
    result = subprocess.run(
        [_require("msgattrib"), *flags, str(po)], capture_output=True, text=True, check=True
    )
    return result.stdout


def test_every_string_has_an_english_translation(extracted):
    untranslated = _entries(extracted, "--untranslated", "--no-wrap")
    missing = [
        line[7:-1]
        for line in untranslated.splitlines()
        if line.startswith('msgid "') and line != 'msgid ""'
    ]
    assert missing == [], f"{len(missing)} strings have no English translation: {missing[:40]}"


def test_no_fuzzy_translations(extracted):
    fuzzy = _entries(extracted, "--only-fuzzy", "--no-wrap")
    entries = [
        line for line in fuzzy.splitlines() if line.startswith('msgid "') and line != 'msgid ""'
    ]
    assert entries == [], f"fuzzy (unchecked) translations: {entries[:40]}"


def test_compiled_catalogue_matches_its_source(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(
        [_require("msgfmt"), "--check-format", "-o", str(compiled), str(CATALOGUE / "django.po")],
        check=True,
    )
    with open(compiled, "rb") as fresh, open(CATALOGUE / "django.mo", "rb") as committed:
        assert (
            gettext.GNUTranslations(fresh)._catalog == gettext.GNUTranslations(committed)._catalog
        ), "run scripts/update-translations"


def test_english_is_used_for_an_english_user():
    from django.utils import translation

    from kinerja.core.periods import Period

    with translation.override("en"):
        assert Period(2026, 3).label == "Quarter III 2026"
    with translation.override("id"):
        assert Period(2026, 3).label == "Triwulan III 2026"
