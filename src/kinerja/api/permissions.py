"""Who may see and revoke a personal API token.

* its owner (list, create, revoke their own);
* a superuser (any token);
* an administrator of an agency (``Position.is_admin``) the tokens of the people holding one
  of that agency's positions today or from a future date, never a staff member's or a
  superuser's: the same people the administrator manages in the master-data pages
  (:func:`kinerja.organization.permissions.manageable_users`, the one rule).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from kinerja.organization.permissions import manageable_users, positions_scope

from .models import ApiToken


def managed_owner_ids(user) -> QuerySet | None:
    """Ids of the users whose tokens ``user`` administers (None: everybody, a superuser;
    an empty queryset for everybody else than agency administrators)."""
    User = get_user_model()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return User.objects.none().values("pk")
    if user.is_superuser:
        return None
    return manageable_users(set(positions_scope(user).admin_agencies)).values("pk")


def may_revoke_token(user, token: ApiToken) -> bool:
    """The owner, a superuser, or an administrator of the owner (see the module)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if token.owner_id == user.pk or user.is_superuser:
        return True
    managed = managed_owner_ids(user)
    return managed is not None and managed.filter(pk=token.owner_id).exists()


def administered_tokens(user) -> QuerySet[ApiToken]:
    """The tokens of other people that ``user`` may revoke (superuser: all), newest first."""
    managed = managed_owner_ids(user)
    qs = ApiToken.objects.exclude(owner_id=user.pk).select_related("owner", "revoked_by")
    if managed is not None:
        qs = qs.filter(owner_id__in=managed)
    return qs
