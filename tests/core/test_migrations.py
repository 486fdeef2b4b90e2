"""A model change without its migration fails here."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # makemigrations --check exits 1 when something is missing
        pytest.fail(f"Missing migrations:\n{out.getvalue()}" if exc.code else out.getvalue())


def test_migration_names_are_descriptive():
    """Every migration after an app's first is named for what it does, not auto-named."""
    from pathlib import Path

    import kinerja

    root = Path(kinerja.__file__).parent
    auto = [p.relative_to(root) for p in root.glob("*/migrations/[0-9]*_auto_*.py")]
    assert auto == []
