"""Settings for the test suite: the real settings with a throw-away secret and fast hashing.

The database comes from KINERJA_DATABASE_URL like in production (CI runs the suite once on
SQLite and once on PostgreSQL).
"""

import os
import tempfile

os.environ.setdefault("KINERJA_SECRET_KEY", "tests-only-" + "x" * 40)
os.environ.setdefault("KINERJA_DATA_DIR", tempfile.mkdtemp(prefix="kinerja-test-"))

from .settings import *  # noqa: E402,F403

if not os.environ.get("KINERJA_DATABASE_URL"):
    DATABASES["default"] = {  # noqa: F405
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.path.join(DATA_DIR, "test.sqlite3"),  # noqa: F405
        # A real file (not shared-cache memory) so concurrent tests see production locking.
        "TEST": {"NAME": os.path.join(DATA_DIR, "test-db.sqlite3")},  # noqa: F405
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        },
    }
os.makedirs(STATIC_ROOT, exist_ok=True)  # noqa: F405  (whitenoise warns when it is missing)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
