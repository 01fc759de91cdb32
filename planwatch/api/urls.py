from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from planwatch.api import views

router = DefaultRouter()
router.register("plans", views.PlanViewSet, basename="plan")
router.register("objectives", views.ObjectiveViewSet, basename="objective")
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("targets", views.TargetViewSet, basename="target")
router.register("org-units", views.OrgUnitViewSet, basename="orgunit")
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("values", views.DataValueViewSet, basename="value")
router.register("submissions", views.SubmissionViewSet, basename="submission")
router.register("results", views.ResultViewSet, basename="result")

app_name = "api"
urlpatterns = [
    path("health/", views.health, name="health"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("", include(router.urls)),
    # Anything else under /api/ is a JSON 404, never the HTML page of the site.
    re_path(r"^[\s\S]*$", views.not_found),
]
