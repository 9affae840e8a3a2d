from django.urls import path

from people import print_views, views
from people.sections import SECTIONS

app_name = "people"
urlpatterns = [
    path("register/", views.register_person, name="register"),
    path("<uuid:person_id>/", views.person_detail, name="detail"),
    path("<uuid:person_id>/merge/", views.merge_person, name="merge"),
    path("<uuid:person_id>/possible-duplicates/", views.possible_duplicates, name="possible-duplicates"),
    path("<uuid:person_id>/summary/", print_views.summary_page, name="summary"),
    path("<uuid:person_id>/summary.pdf", print_views.summary_pdf, name="summary-pdf"),
    path("<uuid:person_id>/dossier/medication-problems/", views.medication_problems, name="medication-problems"),
    path("<uuid:person_id>/dossier/medication/stop/", views.medication_stop, name="medication-stop"),
]
# One path per section, the section's code fixed in it (not a URL parameter), so that every
# route takes only the person's id.
for _kind in SECTIONS.values():
    if _kind.generic:
        urlpatterns.append(
            path(
                f"<uuid:person_id>/dossier/{_kind.slug}/",
                views.section_page,
                {"code": _kind.code},
                name=f"section-{_kind.slug}",
            )
        )
    urlpatterns.append(
        path(
            f"<uuid:person_id>/dossier/{_kind.slug}/history/",
            views.section_history,
            {"code": _kind.code},
            name=f"history-{_kind.slug}",
        )
    )
