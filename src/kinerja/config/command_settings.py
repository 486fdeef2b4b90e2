"""Settings for the ``kinerja`` commands that only read and print (``calendar``, ``sop list``,
``sop show``): the same settings without the apps that serve pages, so such a command does not
import the admin, sessions, messages, static files, htmx, CSP and the task queue at start-up
(docs/speed.md, "Start-up"). :func:`kinerja.cli.main` chooses this module only for those
commands and only when ``DJANGO_SETTINGS_MODULE`` is not set; every other command, the web
server and the worker use :mod:`kinerja.config.settings`.

The database, the data folder, the language and the time zone are the same; only models of
the left-out apps are unknown here, and no command using this module touches them.
"""

from .settings import *  # noqa: F403
from .settings import INSTALLED_APPS as _ALL_APPS

#: Apps a reading command never needs (pages, sessions, admin, the task queue).
PAGE_APPS = frozenset(
    {
        "django.contrib.admin",
        "django.contrib.sessions",
        "django.contrib.messages",
        "django.contrib.staticfiles",
        "django_htmx",
        "csp",
        "django_tasks",
        "django_tasks_db",
        "ninja",  # the API's reference page (imports pydantic)
    }
)
INSTALLED_APPS = [app for app in _ALL_APPS if app not in PAGE_APPS]
