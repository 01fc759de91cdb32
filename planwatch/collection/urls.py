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
    path("submissions/<int:pk>/<slug:action>/", views.submission_action, name="submission_action"),
    path("review/", views.review_queue, name="review"),
    path("values/<int:pk>/history/", views.value_history, name="value_history"),
]
