from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from planwatch.accounts import views as account_views
from planwatch.exchange import dhis2_views
from planwatch.exchange import views as exchange_views
from planwatch.reports import public as public_reports
from planwatch.web import monitoring_views, office_indicators, views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/users/", account_views.user_list, name="user_list"),
    path("accounts/users/<int:pk>/password/", account_views.user_password, name="user_password"),
    path("accounts/users/<int:pk>/active/", account_views.user_active, name="user_active"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("overview/", monitoring_views.overview, name="overview"),
    path("overview/<slug:plan>/", monitoring_views.overview, name="plan_overview"),
    path("warnings/", monitoring_views.warning_list, name="warnings"),
    path("methods/", views.methods, name="methods"),
    path("warnings.xlsx", monitoring_views.warning_export, name="warnings_export"),
    path("catalog/", views.plan_list, name="plan_list"),
    path("catalog/<slug:plan>/", views.plan_detail, name="plan_detail"),
    path("catalog/<slug:plan>/<int:area>/", views.area_detail, name="area_detail"),
    path("indicators/<str:code>/", views.indicator_detail, name="indicator_detail"),
    path(
        "indicators/<str:code>/responsibility/",
        views.indicator_responsibility,
        name="indicator_responsibility",
    ),
    path(
        "office-indicators/", office_indicators.office_indicator_list, name="office_indicator_list"
    ),
    path(
        "office-indicators/<str:code>/",
        office_indicators.office_indicator_edit,
        name="office_indicator_edit",
    ),
    path(
        "office-indicators/<str:code>/retire/",
        office_indicators.office_indicator_retire,
        name="office_indicator_retire",
    ),
    path("notices/", views.notices, name="notices"),
    path("org-units/", views.org_unit_list, name="org_unit_list"),
    path("org-units/<str:code>/", views.org_unit_detail, name="org_unit_detail"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/<slug:code>/", views.department_detail, name="department_detail"),
    path("collection/", include("planwatch.collection.urls")),
    path("reports/", include("planwatch.reports.urls")),
    path("rectification/", include("planwatch.rectification.urls")),
    # DHIS2's door is exchange's, served beside the API (before its catch-all 404).
    path(
        "api/dhis2/dataValueSets/", dhis2_views.dhis2_data_value_sets, name="dhis2_data_value_sets"
    ),
    path("api/", include("planwatch.api.urls")),
    path("public/", exchange_views.public_index, name="public_index"),
    path("public/indicators/<str:code>/", exchange_views.public_indicator, name="public_indicator"),
    path("public/sdmx.csv", exchange_views.public_sdmx, name="public_sdmx"),
    path("public/reports/<int:pk>/", public_reports.public_report, name="public_report"),
    path("publication/", exchange_views.publication, name="publication"),
    path("admin/", admin.site.urls),
]

# A malformed request is told what was wrong, in its own shape (JSON under /api/).
handler400 = "planwatch.web.errors.bad_request"
