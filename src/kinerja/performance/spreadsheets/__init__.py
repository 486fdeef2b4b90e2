"""Excel and CSV in and out: import the Rencana Aksi and quarterly realisations, download
filled templates, export targets and realisations with achievement.

Import is ALL OR NOTHING and runs in two phases:

1. read and check every row (:func:`read_table`, then the row checks of
   :func:`import_targets` / :func:`import_realisations`). Any bad cell, and the whole file
   is refused: the result lists every problem as (row, column, value, reason) in the
   active language;
2. apply the rows through the services (:func:`~kinerja.performance.services.targets_set`,
   :func:`~kinerja.performance.services.quarter_targets_set`,
   :func:`~kinerja.performance.services.realisations_save`) in ONE transaction. The
   services check permissions and locks again under their row locks and audit every
   change; if one of them refuses, the transaction is rolled back and its reasons are
   returned as errors. A dry run does phase 2 too and rolls it back, so the preview shows
   exactly what a real import would do (including the Rencana Aksi warnings).

Files are recognised by their content, never by their name: XLSX is a zip holding
``[Content_Types].xml`` and ``xl/workbook.xml``; CSV is text (UTF-8, with or without BOM;
Windows-1252 as a fallback) separated by ``;``, ``,`` or tabs. Old ``.xls`` files, PDFs and
other binaries are refused with a reason. See docs/imports.md.

One module per subject; import from this package
(``from kinerja.performance import spreadsheets``):

- :mod:`.common`: kinds, column headings and aliases, the import result, a cell's text;
- :mod:`.readers`: reading a file (size, format, sheet, header row);
- :mod:`.checks`: the row and cell checks both imports share;
- :mod:`.targets_import`: the Rencana Aksi import;
- :mod:`.realisations_import`: the quarterly realisations import;
- :mod:`.bulk`: the bulk writer of realisations for large files;
- :mod:`.exports`: templates and the export workbook.
"""

from .bulk import _bulk_save_realisations
from .common import (
    COLUMNS,
    KIND_REALISATIONS,
    KIND_TARGETS,
    XLSX_MIME,
    ImportIssue,
    ImportResult,
)
from .exports import export_workbook, realisations_workbook, targets_workbook
from .readers import Table, detect_format, max_bytes, read_table, read_upload
from .realisations_import import BULK_MIN_ROWS, import_realisations
from .targets_import import import_targets

__all__ = [
    "BULK_MIN_ROWS",
    "COLUMNS",
    "KIND_REALISATIONS",
    "KIND_TARGETS",
    "XLSX_MIME",
    "ImportIssue",
    "ImportResult",
    "Table",
    # private, for the tests that compare the bulk writer with the service
    "_bulk_save_realisations",
    "detect_format",
    "export_workbook",
    "import_realisations",
    "import_targets",
    "max_bytes",
    "read_table",
    "read_upload",
    "realisations_workbook",
    "targets_workbook",
]
