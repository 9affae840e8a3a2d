"""What a team member can own in the care plan, for the care team's handover (teams.handover):
their open actions. When they leave, these go to the coordinator's handover queue and out of
their inbox, and whoever takes one gives it to another member."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from notifications.models import Notification
from notifications.services import notify
from people.models import Person
from plans.categories import PLAN_CATEGORIES
from plans.models import PlanAction
from plans.services import OPEN_STATUSES, _saved, proposed_to
from teams.handover import Item
from teams.models import HandoverItem, Membership


class ActionProvider:
    """The open actions a member owns (proposed, to do, in progress, on hold): when their
    membership ends they go to the coordinator's handover queue, and whoever takes one gives it
    to a member (proposed to them, or open at once when the taker takes it on themself)."""

    kind = "plans.action"
    label = gettext_lazy("care plan actions")

    def open_items(self, user: User, person: Person) -> list[Item]:
        rows = PlanAction.objects.filter(person=person, owner__user=user, status__in=OPEN_STATUSES)
        return [
            Item(
                kind=self.kind,
                app_label="plans",
                public_id=row.public_id,
                # Shown in the queue only to those who may read the plan (the item's category).
                title=row.title,
                category=PLAN_CATEGORIES["actions"],
                created=row.created_at,
            )
            for row in rows.order_by("due_on", "created_at", "pk")
        ]

    def reassign(self, item: Item, new_owner: User) -> None:
        # Called inside teams.services.take_item's transaction, after the queue row was marked
        # taken: that row names the taker, who becomes the change's actor.
        taken = (
            HandoverItem.objects.filter(kind=self.kind, item_id=item.public_id, taken_at__isnull=False)
            .select_related("taken_by")
            .latest("taken_at", "pk")
        )
        taker = taken.taken_by or new_owner
        row = PlanAction.objects.select_for_update(of=("self",)).select_related("person").get(public_id=item.public_id)
        if row.status not in OPEN_STATUSES:
            return  # done, cancelled or declined since it was queued: nothing left to hand over
        owner = Membership.objects.active().filter(person=row.person, user=new_owner).order_by("-since").first()
        if owner is None:  # take_item checked that the new owner is on the team
            raise ValidationError(_("%(name)s is not on the team.") % {"name": new_owner}, code="not_member")
        for name, value in proposed_to(owner, taker).items():
            setattr(row, name, value)
        row.version += 1
        _saved(taker, row)
        if row.status == PlanAction.Status.PROPOSED:
            notify(
                new_owner, Notification.Kind.ACTION_PROPOSED, person=row.person, params={"action": str(row.public_id)}
            )
