"""The one domain error of the project.

Services raise :class:`ApplicationError` with a translatable message; views, the CLI and
(later) the API turn it into a response in one place each. A service that raises has changed
nothing: every service runs in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable


class ApplicationError(Exception):
    """A wrong move or bad input, told to the user in their language.

    ``details`` holds one line per problem (e.g. every missing realisation), so a user sees
    everything that is wrong at once.
    """

    def __init__(self, message: str, *, code: str = "invalid", details: Iterable[str] = ()):
        super().__init__(message)
        self.message = message
        self.code = code
        self.details = [str(d) for d in details]

    def __str__(self) -> str:
        if not self.details:
            return str(self.message)
        return "\n".join([str(self.message), *(f"- {d}" for d in self.details)])


class PermissionDenied(ApplicationError):
    def __init__(self, message: str, **kwargs):
        kwargs.setdefault("code", "permission_denied")
        super().__init__(message, **kwargs)


class ConcurrentUpdate(ApplicationError):
    """Someone else saved the same object since this user loaded it."""

    def __init__(self, message: str, **kwargs):
        kwargs.setdefault("code", "concurrent_update")
        super().__init__(message, **kwargs)
