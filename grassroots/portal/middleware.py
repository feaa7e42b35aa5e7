"""Response headers every page carries besides the Content-Security-Policy (django-csp's middleware)."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` (settings.PERMISSIONS_POLICY): the browser features no page of ours uses —
    camera, microphone, geolocation, payment, USB… — are switched off for us and for anything we embed."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = ", ".join(
            f"{feature}=({' '.join(allow)})" for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response
