"""An authentication backend that grants model permissions by role (registry/roles.py) and checks
no password: nobody ticks permission boxes in the admin for a coordinator or a team member."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import AnonymousUser, User

from registry.roles import role_permissions, user_roles


class RolePermissionBackend(BaseBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not isinstance(user_obj, User | AnonymousUser) or not user_obj.is_active or obj is not None:
            return set()
        cached = getattr(user_obj, "_role_perm_cache", None)
        if cached is None:
            cached = set(role_permissions(roles=user_roles(user=user_obj)))
            user_obj._role_perm_cache = cached  # type: ignore[attr-defined]
        return cached

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return any(perm.startswith(f"{app_label}.") for perm in self.get_all_permissions(user_obj))
