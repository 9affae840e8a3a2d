from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = _("Access")

    def ready(self) -> None:
        from access import homes, kinds, persondata, relationships

        for kind in (kinds.SelfKind(), kinds.RepresentativeKind(), kinds.MandateKind(), kinds.BreakGlassKind()):
            relationships.register(kind)
        persondata.register()
        homes.register()

        # Who may read a person's access log, and search it: decided here, asked by audit's pages.
        from access import queries
        from audit import queries as audit_queries

        audit_queries.register_gate(
            person_for_log=queries.person_for_log, require_searcher=queries.require_log_searcher
        )
