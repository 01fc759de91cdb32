from django.urls import path

from planwatch.collection import views

app_name = "collection"
urlpatterns = [
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/<int:year>/", views.round_board, name="board"),
    path("rounds/<int:year>/remind/", views.round_remind, name="remind"),
    path("rounds/<int:year>/lock/", views.round_lock, name="lock"),
    path("rounds/<int:year>/entry/", views.entry, name="entry"),
    path("rounds/<int:year>/template.xlsx", views.template_download, name="template"),
    path("rounds/<int:year>/upload/", views.upload, name="upload"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("submissions/", views.my_submissions, name="submissions"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/export.xlsx", views.submission_export, name="submission_export"),
    path("submissions/<int:pk>/query/", views.submission_query, name="submission_query"),
    path(
        "submissions/<int:pk>/return-queried/",
        views.submission_return_queried,
        name="submission_return_queried",
    ),
    path("submissions/<int:pk>/unlock-request/", views.unlock_request, name="unlock_request"),
    path("submissions/<int:pk>/<slug:action>/", views.submission_action, name="submission_action"),
    path("queries/<int:pk>/answer/", views.query_answer, name="query_answer"),
    path("unlock-requests/<int:pk>/<slug:decision>/", views.unlock_decide, name="unlock_decide"),
    path("review/", views.review_queue, name="review"),
    path("values/<int:pk>/history/", views.value_history, name="value_history"),
]
