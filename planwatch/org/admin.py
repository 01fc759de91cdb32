from django.contrib import admin

from planwatch.org.models import OrgUnit


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "kind", "parent", "is_reference")
    list_filter = ("level", "is_reference")
    search_fields = ("code", "name")
