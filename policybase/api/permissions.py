"""Who may call the API: anyone, unless ``POLICYBASE_LOGIN_REQUIRED`` makes it signed-in users only."""

from django.conf import settings
from rest_framework.permissions import BasePermission


class SiteAccess(BasePermission):
    def has_permission(self, request, view) -> bool:
        return not settings.POLICYBASE_LOGIN_REQUIRED or bool(request.user and request.user.is_authenticated)
