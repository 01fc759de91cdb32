from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.throttling import UserRateThrottle

from planwatch.accounts.access import has_role


class HasRole(BasePermission):
    """Signed in (session or token) and holding a role: an account without one sees nothing."""

    def has_permission(self, request, view):
        return has_role(request.user)


class TokenRateThrottle(UserRateThrottle):
    """Machine clients (tokens) are rate-limited; the pages' own session calls are not."""

    scope = "token"

    def allow_request(self, request, view):
        if not isinstance(request.successful_authenticator, TokenAuthentication):
            return True
        return super().allow_request(request, view)
