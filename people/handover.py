"""What a team member can own in the dossier, for the care team's handover (teams.handover):
the medication problems they follow up. When they leave, the open ones go to the coordinator's
handover queue instead of being lost."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.vocab import Category
from people.models import MedicationProblem, Person
from teams.handover import Item


class MedicationProblemProvider:
    kind = "people.medication_problem"
    label = gettext_lazy("reported medication problems")

    def open_items(self, user: User, person: Person) -> list[Item]:
        rows = MedicationProblem.objects.filter(person=person, owner=user, handled_at=None).order_by("reported_at")
        return [
            Item(
                kind=self.kind,
                app_label="people",
                public_id=row.public_id,
                # No health data in the title: the queue links to the dossier, which is gated.
                title=_("Medication problem (%(kind)s)") % {"kind": row.get_kind_display()},
                category=Category.MEDICATION,
                created=row.reported_at,
            )
            for row in rows
        ]

    def reassign(self, item: Item, new_owner: User) -> None:
        # Saved (not update()) so that the history keeps the change of owner.
        row = MedicationProblem.objects.select_for_update().get(public_id=item.public_id)
        row.owner = new_owner
        row.version += 1
        row.save()
