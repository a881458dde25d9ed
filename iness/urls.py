from django.contrib import admin
from django.urls import include, path

from . import address_views, site_views, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", views.home, name="home"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("lien-perdu/", views.lost_link, name="lost_link"),
    path("lien-perdu/envoye/", views.lost_link_sent, name="lost_link_sent"),
    path("nouvelle-adresse/<str:token>/", address_views.address_change, name="address_change"),
    path("mentions-legales/", site_views.legal_notice, name="legal_notice"),
    path("accessibilite/", site_views.accessibility, name="accessibility"),
    path("archives/", site_views.archive, name="archive"),
    path(
        "infos-pratiques/<slug:slug>/",
        site_views.practical_information,
        name="practical_information",
    ),
    path("", include("registrations.urls")),
    path("", include("proposals.urls")),
]

handler400 = "iness.errors.bad_request"
handler403 = "iness.errors.permission_denied"
handler404 = "iness.errors.page_not_found"
handler500 = "iness.errors.server_error"
