"""Every document generator; importing this package registers them all."""

from . import disposisi, laporan, lkjip, monitoring, sop  # noqa: F401
from .base import DocumentGenerator, registry

__all__ = ["DocumentGenerator", "registry"]
