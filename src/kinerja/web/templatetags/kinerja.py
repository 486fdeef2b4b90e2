"""Template helpers of the web app: form fields with Bootstrap classes, durations in words."""

from __future__ import annotations

import datetime as dt

from django import forms, template
from django.utils.translation import ngettext

from kinerja.core import formatting as fmt
from kinerja.sop.schema import Duration

register = template.Library()


@register.filter
def bs(field: forms.BoundField):
    """Render ``field`` with Bootstrap's class, ``is-invalid`` and aria links to its help
    text and errors (so screen readers read them with the field)."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    attrs = {"class": css}
    if field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        described.append(f"{field.auto_id}_error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def minutes_text(minutes: int | None) -> str:
    """A number of working minutes in words: "2 jam 5 menit"."""
    if minutes is None:
        return ""
    minutes = int(abs(minutes))
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d jam", "%(n)d jam", hours) % {"n": hours})
    if rest or not hours:
        parts.append(ngettext("%(n)d menit", "%(n)d menit", rest) % {"n": rest})
    return " ".join(parts)


@register.filter
def timedelta_minutes(value: dt.timedelta | None) -> int:
    if not value:
        return 0
    return max(1, round(value.total_seconds() / 60))


@register.filter
def standard_text(task) -> str:
    """The time standard of a task in words: "15 menit kerja", "1 hari kerja"."""
    return Duration(amount=task.standard_amount, unit=task.standard_unit).in_words


@register.filter
def get_item(mapping, key):
    if not mapping:
        return None
    return mapping.get(key)


def _lang() -> str:
    from django.utils import translation

    return translation.get_language() or "id"


@register.filter
def percent(value) -> str:
    """A percentage as every page and document prints it: ``96,00 %``; "–" for None."""
    return fmt.percent(value, empty="–", lang=_lang())


@register.filter
def number(value, places: int | None = None) -> str:
    """A number with exactly ``places`` decimals (``1.234,5`` / ``1,234.5`` by the page's
    language); without ``places`` as many as the value needs; "–" for None."""
    if places is None:
        return fmt.measure(value, 0, empty="–", lang=_lang())
    return fmt.number(value, int(places), empty="–", lang=_lang())


@register.filter
def measure(value, decimals: int | None = None) -> str:
    """An indicator value with the indicator's decimals, never fewer than the stored value
    needs: ``{{ row.realisation|measure:row.indicator.decimals }}`` -> ``1,50``, ``1.400``."""
    return fmt.measure(value, decimals, empty="–", lang=_lang())


@register.filter
def money(value) -> str:
    """Rupiah: ``1.234.567`` or, with cents, ``1.234.567,50``; "–" for None."""
    return fmt.money(value, empty="–", lang=_lang())
