"""The dashboard's trends under the file rule: an analyst sees a unit's figures only of the
quarters whose case gave them that unit's task (as the indicator page and the files do);
the head of the unit and agency-wide officials see every quarter."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _client(world, username: str) -> Client:
    client = Client()
    client.force_login(world.users[username])
    return client


def _table(page: str, table_id: str) -> str:
    body = page[page.index(f'id="{table_id}"') :]
    return body[: body.index("</table>")]


def test_analyst_achievement_trend_shows_the_quarters_given_only(world):
    P = world.units["P"]
    analyst = _client(world, "analis_1")  # given P's task in 2026-Q3, not in 2026-Q2
    response = analyst.get(reverse("web:dashboard"))
    trend = response.context["achievement_trend"]
    assert [str(p) for p in trend.periods] == ["2026-Q3"]
    assert [u.unit_id for u in trend.units] == [P.pk]
    table = _table(response.content.decode(), "unit-trend-table")
    assert "2026-Q3" in table and "2026-Q2" not in table
    chart = analyst.get(reverse("web:chart_unit_achievement")).content.decode()
    assert "2026 Q3" in chart and "2026 Q2" not in chart
    # the head of the unit sees its eight quarters, its 2026-Q2 figure included
    head = _client(world, "kasi_pemerintahan").get(reverse("web:dashboard"))
    head_trend = head.context["achievement_trend"]
    assert len(head_trend.periods) == 8 and "2026-Q2" in [str(p) for p in head_trend.periods]
    q2 = [str(p) for p in head_trend.periods].index("2026-Q2")
    assert next(u for u in head_trend.units if u.unit_id == P.pk).values[q2] is not None


def test_analyst_completeness_trend_shows_each_quarter_the_units_given_then(world):
    P, T = world.units["P"], world.units["T"]
    analyst = _client(world, "analis_2")  # given P in 2026-Q2 and T in 2026-Q3
    now = analyst.get(reverse("web:dashboard"))
    rows = {str(s.period): [u.unit_id for u in s.units] for s in now.context["data"].trend}
    assert rows == {"2026-Q3": [T.pk]}  # not T's 2026-Q2 report: P was given then
    before = analyst.get(reverse("web:dashboard"), {"period": "2026-Q2"})
    rows = {str(s.period): [u.unit_id for u in s.units] for s in before.context["data"].trend}
    assert rows == {"2026-Q2": [P.pk]}
    # the section head of T sees T in both quarters
    head = _client(world, "kasi_trantib").get(reverse("web:dashboard"))
    rows = {str(s.period): [u.unit_id for u in s.units] for s in head.context["data"].trend}
    assert rows["2026-Q2"] == [T.pk] and rows["2026-Q3"] == [T.pk]
