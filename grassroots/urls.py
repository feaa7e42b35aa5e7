from django.contrib import admin
from django.urls import include, path, re_path

from grassroots.portal.views import part_root

urlpatterns = [
    path("", include("grassroots.portal.urls")),
    path("accounts/", include("grassroots.accounts.urls")),
    path("areas/", include("grassroots.areas.urls")),
    path("dashboard/", include("grassroots.figures.urls")),
    path("workflow/", include("grassroots.workflow.urls")),
    path("gatherings/", include("grassroots.gatherings.urls")),
    path("documents/", include("grassroots.documents.urls")),
    path("voting/", include("grassroots.voting.urls")),
    path("selfgov/", include("grassroots.selfgov.urls")),
    path("gridwork/", include("grassroots.gridwork.urls")),
    path("cogov/", include("grassroots.cogov.urls")),
    path("lawgov/", include("grassroots.lawgov.urls")),
    path("virtue/", include("grassroots.virtue.urls")),
    path("audit/", include("grassroots.audit.urls")),
    path("members/", include("grassroots.core.members.urls")),
    path("duties/", include("grassroots.core.duties.urls")),
    path("admission/", include("grassroots.core.admission.urls")),
    path("orglife/", include("grassroots.core.orglife.urls")),
    path("coverage/", include("grassroots.core.coverage.urls")),
    path("assessments/", include("grassroots.core.assessments.urls")),
    path("imports/", include("grassroots.imports.urls")),
    path("clock/", include("grassroots.clock.urls")),
    path("privacy/", include("grassroots.privacy.urls")),
    path("search/", include("grassroots.search.urls")),
    path("api/", include("grassroots.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
# A part's bare prefix without a page of its own (/lawgov/ …) opens the first page of it the user's menu
# shows; tried after every include, so a part with an index page keeps it.
PARTS = [str(p.pattern).rstrip("/") for p in urlpatterns if str(p.pattern).endswith("/")]
PARTS = [p for p in PARTS if p not in {"api", "i18n", "django-admin"}]
urlpatterns.append(re_path(rf"^(?P<part>{'|'.join(PARTS)})/$", part_root, name="part_root"))
# No route serves MEDIA_URL, in any mode: stored files are sent by scoped views (grassroots/files/serve.py).

handler403 = "grassroots.portal.views.permission_denied"
handler404 = "grassroots.portal.views.page_not_found"
handler500 = "grassroots.portal.views.server_error"
