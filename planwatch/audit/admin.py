from django.contrib import admin

from planwatch.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "object_type", "object_key", "channel")
    list_filter = ("action", "object_type", "channel")
    search_fields = ("object_key", "reason")

    # Read-only in the admin too: the trail is evidence.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
