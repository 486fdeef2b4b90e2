"""The REST API (``/api/v1/``): what people do in the pages, for programs, with the same
services, selectors and access rules (docs/api.md)."""
