"""The Django admin's read-only view of records written only through their services (logs, jobs, workflow
records, the clock's runs): superusers may look, never add, change or delete."""


class ReadOnlyAdminMixin:
    """Mix into a ModelAdmin (before it): no add, change or delete permission, and no actions."""

    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
