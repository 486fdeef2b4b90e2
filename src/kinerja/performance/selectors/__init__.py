"""Reads of performance data: the contract the report, web and notification apps code against.

* :mod:`.rows`: the indicator rows of a quarter, of several quarters and of a year, the one
  place where achievements and ratings are computed (with :mod:`kinerja.performance.achievement`);
  completeness (kelengkapan);
* :mod:`.budget`: the programme table with budget realisation;
* :mod:`.history`: an indicator's quarters and years (the indicator page), the units' trend
  (the dashboard), single rows.

Every selector runs a fixed number of queries however many indicators, quarters or files
there are (pinned by tests/performance/test_selectors.py).
"""

from .budget import BudgetRow, BudgetTotal, budget_rows, budget_total
from .history import (
    AchievementTrend,
    HistoryPoint,
    IndicatorPage,
    UnitTrend,
    YearPoint,
    agreement_versions,
    indicator_history,
    indicator_page,
    realisation_for,
    trend_of,
    trend_quarters,
    unit_achievement_trend,
    unit_is_locked,
    unit_locks,
)
from .rows import (
    RATED_QUARTER,
    RATED_YEAR,
    RATED_YTD,
    STATUS_MISSING,
    STATUS_NOT_AVAILABLE,
    STATUS_OK,
    IndicatorRow,
    QuarterWindow,
    annual_rows,
    average_achievement,
    completeness_of,
    current_agreement,
    indicator_rows,
    quarter_achievement,
    quarter_figures,
    quarter_window,
    rating_bands,
    unit_completeness,
    year_figures,
)

__all__ = [
    "RATED_QUARTER",
    "RATED_YEAR",
    "RATED_YTD",
    "STATUS_MISSING",
    "STATUS_NOT_AVAILABLE",
    "STATUS_OK",
    "AchievementTrend",
    "BudgetRow",
    "BudgetTotal",
    "HistoryPoint",
    "IndicatorPage",
    "IndicatorRow",
    "QuarterWindow",
    "UnitTrend",
    "YearPoint",
    "agreement_versions",
    "annual_rows",
    "average_achievement",
    "budget_rows",
    "budget_total",
    "completeness_of",
    "current_agreement",
    "indicator_history",
    "indicator_page",
    "indicator_rows",
    "quarter_achievement",
    "quarter_figures",
    "quarter_window",
    "rating_bands",
    "realisation_for",
    "trend_of",
    "trend_quarters",
    "unit_achievement_trend",
    "unit_completeness",
    "unit_is_locked",
    "unit_locks",
    "year_figures",
]
