"""On a 360 px phone a wide table scrolls inside its own box, not the whole page: every
table in the templates sits in Bootstrap's ``table-responsive`` wrapper."""

from __future__ import annotations

import re
from pathlib import Path

import kinerja

ROOT = Path(kinerja.__file__).resolve().parent


def test_every_template_table_scrolls_in_its_own_box():
    templates = sorted(ROOT.glob("*/templates/**/*.html"))
    assert any("api" in t.parts for t in templates)  # the walk reaches every app
    bare = []
    for template in templates:
        text = template.read_text(encoding="utf-8")
        tables = len(re.findall(r"<table\b", text))
        wrappers = text.count("table-responsive")
        if tables > wrappers:
            bare.append(f"{template.relative_to(ROOT)}: {tables} tables, {wrappers} wrappers")
    assert not bare, bare
