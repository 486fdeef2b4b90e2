"""The API's tests: the demo office (``office``), a token per person, a client that sends
it."""

from __future__ import annotations

import json

import pytest
from django.test import Client


class Api:
    """A test client speaking JSON to /api/v1/ with a Bearer token."""

    def __init__(self, token: str | None = None, **headers):
        self.client = Client()
        self.headers = dict(headers)
        if token:
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"

    def get(self, path: str, params=None, **headers):
        return self.client.get("/api/v1" + path, params or {}, **self.headers, **headers)

    def post(self, path: str, body=None, **headers):
        data = body if isinstance(body, str | bytes) else json.dumps(body or {})
        return self.client.post(
            "/api/v1" + path, data, content_type="application/json", **self.headers, **headers
        )


@pytest.fixture
def api_as(office):
    """``api_as("sekcam")``: a client with a fresh token of that person of the office."""
    from kinerja.api.services import token_create

    def make(username: str, **headers) -> Api:
        _token, secret = token_create(actor=office.users[username], name="test")
        return Api(secret, **headers)

    return make
