from django.urls import path

from . import privacy_views, views

app_name = "proposals"
urlpatterns = [
    path("proposition/<slug:slug>/", views.submit, name="submit"),
    path("proposition/<slug:slug>/envoyee/", views.submitted, name="submitted"),
    path("ma-proposition/<str:token>/", views.manage, name="manage"),
    path("ma-proposition/<str:token>/modifier/", views.edit, name="edit"),
    path("ma-proposition/<str:token>/retirer/", views.withdraw, name="withdraw"),
    path("ma-proposition/<str:token>/confirmer/", views.confirm, name="confirm"),
    path(
        "ma-proposition/<str:token>/supprimer-mes-donnees/",
        privacy_views.delete_data,
        name="delete_data",
    ),
    path("donnees-supprimees/proposition/", privacy_views.data_deleted, name="data_deleted"),
    path("programme/<slug:slug>/", views.programme, name="programme"),
]
