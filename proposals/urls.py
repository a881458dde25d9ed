from django.conf import settings
from django.urls import path, register_converter

from . import privacy_views, views


class LanguageConverter:
    """One of the site's languages, for calendar addresses that must not depend on cookies."""

    regex = "|".join(code for code, _name in settings.LANGUAGES)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(LanguageConverter, "language")

app_name = "proposals"
urlpatterns = [
    path("proposition/<slug:slug>/", views.submit, name="submit"),
    path("proposition/<slug:slug>/envoyee/", views.submitted, name="submitted"),
    path("ma-proposition/<str:token>/", views.manage, name="manage"),
    path("ma-proposition/<str:token>/modifier/", views.edit, name="edit"),
    path("ma-proposition/<str:token>/retirer/", views.withdraw, name="withdraw"),
    path("ma-proposition/<str:token>/confirmer/", views.confirm, name="confirm"),
    path("ma-proposition/<str:token>/diapositives/", views.slides, name="slides"),
    path("ma-proposition/<str:token>/ma-place/", views.confirm_seat, name="confirm_seat"),
    path(
        "ma-proposition/<str:token>/supprimer-mes-donnees/",
        privacy_views.delete_data,
        name="delete_data",
    ),
    path("intervention/<str:token>/", views.panellist, name="panellist"),
    path("intervention/<str:token>/repondre/", views.panellist_answer, name="panellist_answer"),
    path("intervention/<str:token>/place/", views.panellist_seat, name="panellist_seat"),
    path(
        "intervention/<str:token>/supprimer-mes-donnees/",
        privacy_views.delete_panellist_data,
        name="panellist_delete_data",
    ),
    path("donnees-supprimees/proposition/", privacy_views.data_deleted, name="data_deleted"),
    path("programme/<slug:slug>/", views.programme, name="programme"),
    path("programme/<slug:slug>/diapositives/<int:pk>.pdf", views.slides_file, name="slides_file"),
    path(
        "programme/<slug:slug>/programme-<language:language>.ics",
        views.programme_feed,
        name="programme_feed",
    ),
    path(
        "programme/<slug:slug>/<int:pk>-<language:language>.ics",
        views.programme_item,
        name="programme_item",
    ),
]
