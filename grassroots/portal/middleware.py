"""Response headers every page carries besides the Content-Security-Policy (django-csp's middleware)."""

from django.conf import settings


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` (settings.PERMISSIONS_POLICY): the browser features no page of ours uses —
    camera, microphone, payment, USB… — are switched off for us and for anything we embed; geolocation is
    ours alone (`self`: the quick report's 使用当前位置), never an embedded frame's."""

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
