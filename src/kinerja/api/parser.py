"""The API's request parser: django-ninja's JSON parser that refuses a NUL character in any
key or text of the body or query (400 in the one error shape), before a value reaches a
database that cannot store it (PostgreSQL text refuses NUL)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja.parser import Parser

from kinerja.core.http import BadInput


def _refuse_nul(data) -> None:
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise BadInput(_("Masukan berisi karakter yang tidak diizinkan."))
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


class SafeParser(Parser):
    def parse_body(self, request):
        data = super().parse_body(request)
        _refuse_nul(data)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        _refuse_nul(result)
        return result
