from django.urls import path

from . import privacy_views, views

app_name = "registrations"
urlpatterns = [
    path("inscription/<slug:slug>/", views.register, name="register"),
    path("inscription/<slug:slug>/merci/", views.registered, name="registered"),
    path("mon-inscription/<str:token>/", views.manage, name="manage"),
    path("mon-inscription/<str:token>/modifier/", views.details, name="details"),
    path("mon-inscription/<str:token>/confirmer/", views.verify, name="verify"),
    path("mon-inscription/<str:token>/annuler/", views.cancel, name="cancel"),
    path("mon-inscription/<str:token>/accepter/", views.accept, name="accept"),
    path("mon-inscription/<str:token>/refuser/", views.decline, name="decline"),
    path("mon-inscription/<str:token>/attestation.pdf", views.certificate, name="certificate"),
    path("mon-inscription/<str:token>/avis/", views.feedback, name="feedback"),
    path(
        "mon-inscription/<str:token>/supprimer-mes-donnees/",
        privacy_views.delete_data,
        name="delete_data",
    ),
    path("donnees-supprimees/inscription/", privacy_views.data_deleted, name="data_deleted"),
]
