"""Settings: the secret key is required outside demo/debug; nothing secret lives in code."""

import os
import subprocess
import sys


def _import_settings(env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINERJA_")}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "kinerja.config.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_secret_key(tmp_path):
    result = _import_settings({"KINERJA_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "KINERJA_SECRET_KEY" in result.stderr
    assert "started" not in result.stdout


def test_production_starts_with_secret_key(tmp_path):
    result = _import_settings({"KINERJA_DATA_DIR": str(tmp_path), "KINERJA_SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_demo_mode_generates_and_keeps_a_private_key(tmp_path):
    first = _import_settings({"KINERJA_DATA_DIR": str(tmp_path), "KINERJA_DEMO": "1"})
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "secret_key"
    key = key_file.read_text()
    assert len(key) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    _import_settings({"KINERJA_DATA_DIR": str(tmp_path), "KINERJA_DEMO": "1"})
    assert key_file.read_text() == key
