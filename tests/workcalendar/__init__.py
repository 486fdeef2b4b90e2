"""Tests of the working-time calendar (mirrors src/kinerja/workcalendar)."""
