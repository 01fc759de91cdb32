from django.urls import path

from planwatch.rectification import views

app_name = "rectification"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new_bulletin, name="new"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/document.docx", views.bulletin_document, name="bulletin_docx"),
    path("items/", views.items, name="items"),
    path("items/<int:pk>/answer/", views.item_answer, name="answer"),
    path("items/<int:pk>/<slug:decision>/", views.item_decide, name="decide"),
    path("remind/", views.remind, name="remind"),
]
