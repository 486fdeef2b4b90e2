"""Page-numbered lists: ``?page=1&page_size=50`` (at most 200 a page). Every list answers

    {"items": [...], "count": 123, "page": 1, "page_size": 50, "pages": 3,
     "next": "/api/v1/...&page=2", "previous": null}

Two queries a page (the count and the page), plus what the rows' selector joins."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from django.http import HttpRequest, QueryDict
from ninja import Field, Schema

T = TypeVar("T")
MAX_PAGE = 100_000


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="page number, from 1")
    page_size: int = Field(50, ge=1, le=200, description="items a page (1-200)")


class Page(Schema, Generic[T]):
    items: list[T]
    count: int
    page: int
    page_size: int
    pages: int
    next: str | None = None
    previous: str | None = None


def _link(request: HttpRequest, page: int) -> str:
    query: QueryDict = request.GET.copy()
    query["page"] = str(page)
    return f"{request.path}?{query.urlencode()}"


def paginate(
    request: HttpRequest, rows, query: PageQuery, convert: Callable[[Sequence], list] = list
) -> dict:
    """One page of ``rows`` (a queryset or a list); ``convert`` turns the page's rows into
    items (e.g. attaches what a selector adds to a whole page at once)."""
    count = rows.count() if hasattr(rows, "count") and not isinstance(rows, list) else len(rows)
    size = query.page_size
    pages = max(1, math.ceil(count / size))
    start = (query.page - 1) * size
    items = convert(list(rows[start : start + size])) if start < count else []
    return {
        "items": items,
        "count": count,
        "page": query.page,
        "page_size": size,
        "pages": pages,
        "next": _link(request, query.page + 1) if query.page < pages else None,
        "previous": _link(request, query.page - 1) if 1 < query.page <= pages else None,
    }
