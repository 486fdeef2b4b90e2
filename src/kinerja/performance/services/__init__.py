"""Writes of performance data. Every change goes through one of these services.

Each service is keyword-only with the actor first, runs in ONE ``transaction.atomic()``
(not durable: an import wraps many calls in its own transaction and gets all or nothing),
locks what it changes with ``select_for_update()`` (indicator rows before realisation
rows, always in id order), checks the actor's permission (:mod:`..permissions`) and the
unit's lock, and writes an audit event with the old and new values
(:func:`kinerja.core.services.audit`). A refused call raises :class:`ApplicationError`
(or ``PermissionDenied``/``ConcurrentUpdate``) and changes nothing.

Values arrive already parsed (``Decimal``/``None``): the web forms and the importer parse
text with :func:`kinerja.performance.parsing.parse_number`.

One module per subject; import the services from this package
(``from kinerja.performance.services import realisation_save``):

- :mod:`.realisations`: realisations of a quarter (one, or several at once);
- :mod:`.files`: data-dukung (evidence) and report-material files;
- :mod:`.locks`: locking a unit's quarter and unlocking it with a reason;
- :mod:`.agreements`: the performance agreement (PK), its versions, annual targets, programmes;
- :mod:`.quarter_targets`: the Rencana Aksi quarter targets and their roll-up warnings;
- :mod:`.budget`: budget realisation per programme;
- :mod:`.common`: value cleaning and the permission/lock checks they share.
"""

from .agreements import (
    ProgramInput,
    agreement_create,
    agreement_programs_set,
    agreement_revise,
    targets_set,
)
from .budget import budget_realisation_save
from .common import MAX_VALUE, MONEY_PLACES, VALUE_PLACES, locked_units
from .files import evidence_add, evidence_remove, material_add, material_remove
from .locks import REPORT_ENTRY_HANDLER, lock_for_approval, unit_period_lock, unit_period_unlock
from .quarter_targets import ROLLUP_WORDS, quarter_targets_set
from .realisations import (
    RealisationInput,
    realisation_audit_event,
    realisation_save,
    realisation_snapshot,
    realisation_values,
    realisations_check,
    realisations_lock,
    realisations_save,
)

__all__ = [
    "MAX_VALUE",
    "MONEY_PLACES",
    "REPORT_ENTRY_HANDLER",
    "ROLLUP_WORDS",
    "VALUE_PLACES",
    "ProgramInput",
    "RealisationInput",
    "agreement_create",
    "agreement_programs_set",
    "agreement_revise",
    "budget_realisation_save",
    "evidence_add",
    "evidence_remove",
    "lock_for_approval",
    "locked_units",
    "material_add",
    "material_remove",
    "quarter_targets_set",
    "realisation_audit_event",
    "realisation_save",
    "realisation_snapshot",
    "realisation_values",
    "realisations_check",
    "realisations_lock",
    "realisations_save",
    "targets_set",
    "unit_period_lock",
    "unit_period_unlock",
]
