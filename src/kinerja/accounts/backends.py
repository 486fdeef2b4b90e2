"""Sign in with a username (any case) or a NIP (spaces allowed), refused while the account
or the client address is locked (see :mod:`.lockout`)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from .lockout import locked_until, user_for_login


class UsernameOrNipBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        if request is not None and locked_until(request, username):
            request.kinerja_locked = True
            raise PermissionDenied  # authenticate() stops here and reports a failure
        User = get_user_model()
        user = user_for_login(username)
        if user is None:
            User().set_password(password)  # same cost as a real check (timing)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
