"""Shared test fixtures. The named world (agency, units, people) lives in tests/world.py."""
