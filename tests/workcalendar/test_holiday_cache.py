"""The holidays of a year are computed once per data folder, not at every `kinerja` start."""

from __future__ import annotations

import datetime as dt
import json

from kinerja.workcalendar import calendar


def test_holidays_are_kept_in_the_data_folder_and_read_back(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    calendar.national_holidays.cache_clear()
    try:
        computed = dict(calendar.national_holidays(2027))
        stored = calendar._holidays_cache_file(2027)
        assert stored.parent == tmp_path / "cache" and stored.is_file()
        assert json.loads(stored.read_text()) == {d.isoformat(): n for d, n in computed.items()}
        assert dt.date(2027, 8, 17) in computed  # Hari Kemerdekaan
        # The next process reads the file instead of computing (shown by an edited file).
        stored.write_text(json.dumps({"2027-01-02": "Libur uji"}))
        calendar.national_holidays.cache_clear()
        assert dict(calendar.national_holidays(2027)) == {dt.date(2027, 1, 2): "Libur uji"}
        # A damaged file is computed again.
        stored.write_text("{not json")
        calendar.national_holidays.cache_clear()
        assert dict(calendar.national_holidays(2027)) == computed
    finally:
        calendar.national_holidays.cache_clear()
