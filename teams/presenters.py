"""Display values for the team pages, so templates hold no logic."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import formats, timezone

from accounts.models import User
from core.vocab import Category
from teams import handover, topics
from teams.models import CoordinationProposal, HandoverItem, Membership, TeamMessage
from teams.queries import HandoverQueue, TeamRights, Thread


def day(value: datetime | None) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATE_FORMAT") if value else ""


def when(value: datetime | None) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else ""


@dataclass(frozen=True)
class MemberRow:
    public_id: str
    version: int
    name: str
    role: str
    assignment: str
    since: str
    until: str
    is_coordinator: bool
    is_you: bool
    hours: str
    phone: str  # E.164 as stored; templates show it with {% phone_link %}
    phone_24_7: str  # the whole team sees both numbers, the person's circle included
    priority_phone: str  # empty unless the reader is a professional
    priority_email: str
    may_edit_reachability: bool
    may_end: bool
    may_make_coordinator: bool
    excluded: bool = False  # shown to those who manage the team

    @property
    def has_24_7_line(self) -> bool:
        return bool(self.phone_24_7)


def member_row(membership: Membership, reader: User, rights: TeamRights, excluded: bool = False) -> MemberRow:
    own = membership.user_id == reader.pk
    # Priority numbers and e-mails are for professionals only (TEAM-04): a caregiver or the
    # person never receives them, not even hidden in the page.
    show_priority = rights.professional
    return MemberRow(
        public_id=str(membership.public_id),
        version=membership.version,
        name=str(membership.user),
        role=membership.profile_label,
        assignment=membership.assignment,
        since=day(membership.since),
        until=day(membership.until),
        is_coordinator=membership.is_coordinator,
        is_you=own,
        hours=membership.hours,
        phone=membership.phone,
        phone_24_7=membership.phone_24_7,
        priority_phone=membership.priority_phone if show_priority else "",
        priority_email=membership.priority_email if show_priority else "",
        may_edit_reachability=own or rights.manages,
        # Leaving the team is the reader's own box on the team page, apart from the rows.
        may_end=not own and (rights.manages or (rights.own_circle and not membership.is_professional)),
        # Someone the person excluded sees nothing of the dossier: never offer them coordination.
        may_make_coordinator=(
            rights.manages and membership.is_professional and not membership.is_coordinator and not excluded
        ),
        excluded=excluded and rights.manages,
    )


def member_rows(
    members: list[Membership], reader: User, rights: TeamRights, excluded: frozenset[int] = frozenset()
) -> list[MemberRow]:
    return [member_row(m, reader, rights, m.user_id in excluded) for m in members]


@dataclass(frozen=True)
class MessageRow:
    author: str
    when: str
    category: str
    addressees: str
    body: str
    unread: bool
    mine: bool


def message_rows(thread: Thread, reader: User) -> list[MessageRow]:
    return [
        MessageRow(
            author=str(message.author),
            when=when(message.created_at),
            category=topics.label(message.category),
            addressees=", ".join(str(user) for user in addressees_of(message)),
            body=message.body,
            unread=message.pk in thread.unread,
            mine=message.author_id == reader.pk,
        )
        for message in thread.messages
    ]


@dataclass(frozen=True)
class TopicOption:
    """One topic of the message form: its plain label and hint, and who will read it."""

    code: str
    label: str
    hint: str
    readers: str  # "Name (role), Name (role)"; empty when nobody else will
    checked: bool


@dataclass(frozen=True)
class AddresseeOption:
    value: str
    label: str
    reads: str  # the topics this member will read, space-separated (for the form's script)
    checked: bool


def topic_options(thread: Thread, chosen: object) -> list[TopicOption]:
    return [
        TopicOption(
            code=topic.code,
            label=str(topic.label),
            hint=str(topic.hint),
            readers=", ".join(f"{reader.user} ({reader.role})" for reader in thread.readers.get(topic.code, [])),
            checked=chosen == topic.code,
        )
        for topic in topics.ordered(thread.writable)
    ]


def addressee_options(thread: Thread, chosen: object) -> list[AddresseeOption]:
    picked = {str(value) for value in chosen} if isinstance(chosen, list | tuple) else set()
    reads: dict[int, list[str]] = {}
    for code, readers in thread.readers.items():
        for reader in readers:
            reads.setdefault(reader.user.pk, []).append(code)
    options = {}
    for membership in thread.members:
        value = str(membership.user.public_id)
        options[value] = AddresseeOption(
            value=value,
            label=f"{membership.user} ({membership.profile_label})",
            reads=" ".join(reads.get(membership.user_id, [])),
            checked=value in picked,
        )
    return list(options.values())


def addressees_of(message: TeamMessage) -> list[User]:
    return sorted(message.addressees.all(), key=lambda user: (user.full_name, user.pk))


@dataclass(frozen=True)
class ItemRow:
    public_id: str
    kind: str
    title: str
    category: str
    from_user: str
    created: str
    taken_by: str
    taken_at: str
    assigned_to: str


def item_row(item: HandoverItem) -> ItemRow:
    return ItemRow(
        public_id=str(item.public_id),
        kind=handover.kind_label(item.kind),
        title=item.title,
        category=str(Category(item.category).label) if item.category in Category.values else item.category,
        from_user=str(item.from_user),
        created=when(item.created),
        taken_by=str(item.taken_by) if item.taken_by_id else "",
        taken_at=when(item.taken_at),
        assigned_to=str(item.assigned_to) if item.assigned_to_id else "",
    )


def queue_rows(queue: HandoverQueue) -> tuple[list[ItemRow], list[ItemRow]]:
    return [item_row(i) for i in queue.flagged], [item_row(i) for i in queue.taken]


@dataclass(frozen=True)
class ProposalBox:
    """A proposal to coordinate waiting for an answer, as the team page shows it."""

    public_id: str
    name: str  # the member proposed
    proposed_by: str
    created: str
    for_you: bool  # the reader is the one proposed: they answer
    by_you: bool


def proposal_box(proposal: CoordinationProposal, reader: User) -> ProposalBox:
    return ProposalBox(
        public_id=str(proposal.public_id),
        name=str(proposal.membership.user),
        proposed_by=str(proposal.proposed_by),
        created=day(proposal.created_at),
        for_you=proposal.membership.user_id == reader.pk,
        by_you=proposal.proposed_by_id == reader.pk,
    )


@dataclass(frozen=True)
class OwnBox:
    """The reader's own membership, in its own box with the way to leave the team."""

    public_id: str
    version: int
    role: str
    since: str
    is_coordinator: bool


def own_box(membership: Membership) -> OwnBox:
    return OwnBox(
        public_id=str(membership.public_id),
        version=membership.version,
        role=membership.profile_label,
        since=day(membership.since),
        is_coordinator=membership.is_coordinator,
    )
