from django.urls import path

from planwatch.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("build/", views.report_build, name="build"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/progress/", views.report_progress, name="progress"),
    path("<int:pk>/download/", views.report_download, name="download"),
    path("<int:pk>/publish/", views.report_publish, name="publish"),
    path("<int:pk>/review/", views.report_review, name="review"),
    path("sections/<slug:plan>/<slug:kind>/<int:year>/", views.sections_edit, name="sections"),
    path("self-assessment/", views.self_assessment_index, name="self_assessment_index"),
    path(
        "self-assessment/<slug:code>/<int:year>/",
        views.self_assessment,
        name="self_assessment",
    ),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
]
