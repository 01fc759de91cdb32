from django.contrib import admin

from planwatch.org.models import Department, OrgUnit


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "kind", "parent", "is_reference")
    list_filter = ("level", "is_reference")
    search_fields = ("code", "name")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "active")
    list_filter = ("active",)
    search_fields = ("code", "name", "short_name")
