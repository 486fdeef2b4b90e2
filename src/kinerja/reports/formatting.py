"""Kept as an alias: the formatters live in :mod:`kinerja.core.formatting` (one per kind of
value, used by pages, documents and spreadsheets alike)."""

from kinerja.core.formatting import *  # noqa: F403
from kinerja.core.formatting import DASH, MONTHS, NIP_DIGITS  # noqa: F401
