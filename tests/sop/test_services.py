"""Loading SOPs as versions: validation first, content-addressed, never mutated."""

from __future__ import annotations

import threading

import pytest

from kinerja.core.models import AuditEvent
from kinerja.sop.loader import SopLoadError
from kinerja.sop.models import SopVersion
from kinerja.sop.selectors import sop_latest, sop_list, sop_version
from kinerja.sop.services import sop_hash, sop_load, sop_load_builtin

pytestmark = pytest.mark.django_db

NAME = "permohonan-cuti.yaml"


def test_load_creates_version_1_with_audit(leave_text: str) -> None:
    version, created = sop_load(source=leave_text, source_name=NAME)
    assert created
    assert (version.code, version.version, version.title) == (
        "permohonan-cuti",
        1,
        "Permohonan Cuti",
    )
    assert version.source == leave_text
    assert version.source_name == NAME
    assert version.sha256 == sop_hash(version.definition)
    assert version.spec.step(2).decision is not None
    event = AuditEvent.objects.get(action="sop.loaded")
    assert event.object_id == str(version.pk)
    assert event.after["version"] == 1
    assert event.after["sha256"] == version.sha256


def test_bad_file_changes_nothing(leave_text: str) -> None:
    sop_load(source=leave_text, source_name=NAME)
    before = (SopVersion.objects.count(), AuditEvent.objects.count())
    bad = leave_text.replace("title: Permohonan Cuti", "title: Cuti Baru").replace(
        "executor: atasan", "executor: boss"
    )
    with pytest.raises(SopLoadError):
        sop_load(source=bad, source_name=NAME)
    assert (SopVersion.objects.count(), AuditEvent.objects.count()) == before


def test_same_content_twice_is_one_version(leave_text: str) -> None:
    first, created_1 = sop_load(source=leave_text, source_name=NAME)
    # Comments and formatting are not content: the normalized JSON is hashed.
    reformatted = "# reformatted\n" + leave_text.replace("time: 15 menit", "time: 15 minutes")
    second, created_2 = sop_load(source=reformatted, source_name="other.yaml")
    assert (created_1, created_2) == (True, False)
    assert second.pk == first.pk
    assert SopVersion.objects.count() == 1
    assert AuditEvent.objects.filter(action="sop.loaded").count() == 1


def test_changed_content_is_version_2_and_v1_is_untouched(leave_text: str) -> None:
    v1, _ = sop_load(source=leave_text, source_name=NAME)
    snapshot = SopVersion.objects.filter(pk=v1.pk).values().get()
    changed = leave_text.replace("time: 1 hari", "time: 2 hari")
    v2, created = sop_load(source=changed, source_name=NAME)
    assert created
    assert v2.version == 2
    assert v2.spec.step(2).time[0].amount == 2
    assert SopVersion.objects.filter(pk=v1.pk).values().get() == snapshot
    assert sop_latest("permohonan-cuti") == v2
    assert sop_version("permohonan-cuti", 1) == v1
    # Loading v1's content again returns v1 rather than making v3.
    again, created = sop_load(source=leave_text, source_name=NAME)
    assert (again.pk, created) == (v1.pk, False)


def test_load_builtin_is_idempotent() -> None:
    first = sop_load_builtin()
    second = sop_load_builtin()
    assert [v.code for v, _ in first] == ["pengumpulan-data-kinerja"]
    assert [created for _, created in first] == [True]
    assert [created for _, created in second] == [False]
    assert SopVersion.objects.count() == 1
    assert sop_latest("pengumpulan-data-kinerja").spec.step(6).handler == "performance.compile"


def test_actor_is_recorded(leave_text: str, django_user_model) -> None:
    user = django_user_model.objects.create_user(username="admin_sop", password="x")
    version, _ = sop_load(source=leave_text, source_name=NAME, actor=user)
    assert version.loaded_by == user
    assert AuditEvent.objects.get(action="sop.loaded").actor == user


def test_sop_list_latest_per_code(leave_text: str, django_assert_num_queries) -> None:
    sop_load_builtin()
    sop_load(source=leave_text, source_name=NAME)
    sop_load(source=leave_text.replace("1 hari", "3 hari"), source_name=NAME)
    with django_assert_num_queries(1):
        listed = [(v.code, v.version) for v in sop_list()]
    assert listed == [("pengumpulan-data-kinerja", 1), ("permohonan-cuti", 2)]


def test_sop_latest_unknown_code() -> None:
    with pytest.raises(SopVersion.DoesNotExist):
        sop_latest("tidak-ada")


@pytest.mark.django_db(transaction=True)
def test_concurrent_loads_get_distinct_versions(leave_text: str) -> None:
    """Two first loads of different content race; the unique constraint and the retry give
    them v1, v2 and v3 (on SQLite the writers are serialised by the busy timeout instead)."""
    from django.db import connections

    texts = [leave_text.replace("1 hari", f"{n} hari") for n in (2, 3, 4)]
    barrier = threading.Barrier(len(texts))
    results: list[int] = []
    errors: list[BaseException] = []

    def run(text: str) -> None:
        try:
            barrier.wait()
            version, _ = sop_load(source=text, source_name=NAME)
            results.append(version.version)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(t,)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [1, 2, 3]
    assert SopVersion.objects.count() == 3
