"""DRF glue for the one scoping function: every viewset's queryset goes through `scoped()`."""

from rest_framework.exceptions import PermissionDenied

from grassroots.accounts.scoping import has_perm, scoped


class ScopedViewSetMixin:
    """Set `view_permission` (and `change_permission` for writable viewsets).

    Reads see only rows in the user's scope (others answer 404). A write on a visible row needs
    `change_permission` on an area covering the row's area, else 403.
    """

    view_permission: str = ""
    change_permission: str | None = None

    def get_queryset(self):
        return scoped(super().get_queryset(), self.request.user, self.view_permission)

    def area_of(self, obj):
        """The area a row belongs to; override when the model reaches its area differently."""
        return obj if obj.__class__.__name__ == "Area" else obj.area

    def check_change(self, area) -> None:
        if not self.change_permission or not has_perm(self.request.user, self.change_permission, area):
            raise PermissionDenied

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            self.check_change(self.area_of(obj))
