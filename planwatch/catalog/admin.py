from django.contrib import admin

from planwatch.catalog.models import Area, Department, Indicator, Measure, Objective, Plan, Target


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "start_year", "end_year")


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("plan", "number", "name")
    list_filter = ("plan",)


@admin.register(Objective, Measure)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("__str__", "lead_department")
    list_filter = ("area__plan", "area")
    filter_horizontal = ("co_departments",)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit", "direction", "lead_department", "retired")
    list_filter = ("plan", "area", "retired")
    search_fields = ("code", "name")
    filter_horizontal = ("co_departments",)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("code", "indicator", "comparator", "value", "unit", "target_year", "scope")
    list_filter = ("indicator__plan", "comparator", "scope")
    search_fields = ("code", "quote")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "active")
    list_filter = ("active",)
    search_fields = ("code", "name", "short_name")
