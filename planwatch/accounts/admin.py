from django.contrib import admin

from planwatch.accounts.models import Profile


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "department", "org_unit")
    list_filter = ("role", "department")
