"""Who may change the SOP library. SOPs are shared by every agency (a case runs the version
it was opened with), so loading a new definition or version is for superusers (and the
``kinerja sop load`` command); everyone signed in reads them."""

from __future__ import annotations


def may_load_sop(user) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))
