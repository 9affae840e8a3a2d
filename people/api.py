import uuid
from datetime import date, datetime
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.orm import create_schema

from accounts.models import User
from core.actions import Action
from core.http import etag, version_from_if_match
from core.requests import ApiRequest
from core.vocab import Category, Level
from people import queries, sections, services
from people.forms import ReportProblemForm, section_form
from people.models import ChoiceListField, MedicationIntake, MedicationProblem, Person, SectionRecord
from schakel.routes import MEDICATION_PROBLEM, SECTION_ENTRY, person_route

router = Router(tags=["persons"])


class PersonOut(Schema):
    id: uuid.UUID
    insz: str | None
    local_id: str
    given_name: str
    family_name: str
    birth_date: date | None
    version: int

    @staticmethod
    def resolve_id(obj: object) -> uuid.UUID:
        return cast(Person, obj).public_id

    @staticmethod
    def resolve_insz(obj: object) -> str | None:
        return cast(Person, obj).shown_insz or None


@router.get("/{person_id}", response=PersonOut, url_name="person-detail")
@person_route("GET")
def person_detail(request: ApiRequest, person_id: uuid.UUID) -> object:
    return queries.get_person(
        request.auth, person_id, Category.IDENTITY, Level.READ, action=Action.PEOPLE_PERSON_VIEWED
    )


class MergeIn(Schema):
    # Optional here so that a request without it still passes the gate first (an outsider gets
    # the 404, not a validation error); the service then asks for it.
    insz: str = ""


@router.post("/{person_id}/merge", response=PersonOut, url_name="person-merge")
@person_route("POST")
def merge_person(request: ApiRequest, person_id: uuid.UUID, body: MergeIn | None = None) -> object:
    """Merge this record, registered without INSZ, into the record with the given INSZ (the care
    coordinator of both only). Answers with the record that remains."""
    alias = queries.get_person(
        request.auth, person_id, Category.IDENTITY, Level.READ, action=Action.PEOPLE_MERGE_VIEWED
    )
    return services.merge_into_insz(request.auth, alias, body.insz if body else "")


# ── The dossier's sections ───────────────────────────────────────────────────────────────────
#
# One path per section, the section's code fixed in it: GET reads it; a one-per-person section
# is changed with PUT or PATCH; a list section gets entries with POST, and one entry is read,
# changed or removed with ?item=<id>. Every change needs the version read, in If-Match (the
# ETag of the read): a stale one answers 412, a missing one 428. Body fields are optional on
# purpose, so that the gate answers an outsider (404) before any input is looked at; the same
# form as the page then checks them.


class SectionInfo(Schema):
    code: str
    title: str
    category: str
    may_write: bool
    path: str


class DossierOut(Schema):
    sections: list[SectionInfo]


@router.get("/{person_id}/dossier", response=DossierOut, url_name="dossier")
@person_route("GET")
def dossier(request: ApiRequest, person_id: uuid.UUID) -> dict[str, Any]:
    """The sections the caller may read (hidden ones are not listed)."""
    person, content = queries.open_dossier(request.auth, person_id, with_write=True)
    return {
        "sections": [
            {
                "code": section.code,
                "title": section.title,
                "category": group.category,
                "may_write": section.may_write,
                "path": f"/api/persons/{person.public_id}/dossier/{sections.kind(section.code).slug}",
            }
            for group in content.groups
            for section in group.sections
        ]
    }


# A medication line is stopped, not removed (issue 11): it carries its stop besides its fields.
STOP_FIELDS = ("stopped_on", "stop_reason")


def _entry_dict(kind: sections.SectionKind, entry: SectionRecord, *, saved: bool = True) -> dict[str, Any]:
    return {
        "id": entry.public_id if saved else None,
        "version": entry.version if saved else 0,
        "updated_at": entry.updated_at if saved else None,
        "updated_by": str(entry.updated_by) if saved and entry.updated_by_id else None,
        **{name: getattr(entry, name) for name in kind.fields},
        **({name: getattr(entry, name) for name in STOP_FIELDS} if kind.code == "medication" else {}),
    }


def _list_fields(kind: sections.SectionKind) -> list[str]:
    return [name for name in kind.fields if isinstance(kind.model._meta.get_field(name), ChoiceListField)]


def _out_schema(kind: sections.SectionKind) -> type[Schema]:
    lists = _list_fields(kind)
    return create_schema(
        kind.model,
        name=f"{kind.model.__name__}Out",
        fields=[name for name in kind.fields if name not in lists],
        custom_fields=[
            ("id", uuid.UUID | None, None),
            ("version", int, ...),
            ("updated_at", datetime | None, None),
            ("updated_by", str | None, None),
            *[(name, list[str], ...) for name in lists],
            *([("stopped_on", date | None, None), ("stop_reason", str, "")] if kind.code == "medication" else []),
        ],
    )


def _in_schema(kind: sections.SectionKind) -> type[Schema]:
    lists = _list_fields(kind)
    plain = [name for name in kind.fields if name not in lists]
    return create_schema(
        kind.model,
        name=f"{kind.model.__name__}In",
        fields=plain,
        optional_fields=plain,
        custom_fields=[(name, list[str] | None, None) for name in lists],
    )


def _one_error(error: ValidationError) -> ValidationError:
    """One message with a code, as schakel.api's 422 handler expects: "Phone: Enter a valid
    phone number ...; Name: This field is required."."""
    return ValidationError("; ".join(error.messages), code="invalid")


def _form_error(form: Any) -> ValidationError:
    messages = [
        f"{form.fields[name].label}: {message}" if name in form.fields else message
        for name, errors in form.errors.items()
        for message in errors
    ]
    return ValidationError("; ".join(messages), code="invalid")


def _validated(kind: sections.SectionKind, data: dict[str, Any]) -> dict[str, Any]:
    """The page's form checks the API's input too, so both refuse the same things."""
    form = section_form(kind.code)(data=data)
    if not form.is_valid():
        raise _form_error(form)
    return form.section_fields()


def _entry_for(actor: User, person: Person, kind: sections.SectionKind, item: str | None, action: str) -> SectionRecord:
    if not item:
        raise ValidationError(_("Say which entry, with ?item=<id>."), code="item_required")
    return queries.get_entry(actor, person, kind.code, item, action=action)


def _register_section(kind: sections.SectionKind) -> None:
    path = f"/{{person_id}}/dossier/{kind.slug}"
    out = _out_schema(kind)
    body_schema = _in_schema(kind)
    code = kind.code

    def read(
        request: ApiRequest, person_id: uuid.UUID, response: HttpResponse, item: str | None = None
    ) -> dict[str, Any]:
        person = queries.get_section_person(request.auth, person_id, code)
        if kind.singleton:
            entry = queries.get_singleton(person, code)
            response["ETag"] = etag(entry.version if entry else 0)
            return _entry_dict(kind, entry) if entry else _entry_dict(kind, kind.model(person=person), saved=False)
        if item:
            entry = queries.get_entry(request.auth, person, code, item, action=Action.PEOPLE_SECTION_VIEWED)
            response["ETag"] = etag(entry.version)
            return _entry_dict(kind, entry)
        listed = {"entries": [_entry_dict(kind, entry) for entry in queries.section_entries(person, code)]}
        if code == "medication":  # the active schedule in entries; the stopped lines apart
            listed["stopped"] = [_entry_dict(kind, line) for line in queries.stopped_medication(person)]
        return listed

    def change(
        request: ApiRequest,
        person_id: uuid.UUID,
        response: HttpResponse,
        item: str | None = None,
        body: body_schema | None = None,  # type: ignore[valid-type]  # a schema built per section at run time
    ) -> dict[str, Any]:
        person = queries.get_section_person(request.auth, person_id, code)
        queries.require_write(request.auth, person, kind.category, Action.PEOPLE_SECTION_ENTRY_CHANGED)
        version = version_from_if_match(request.headers.get("If-Match"))
        sent: dict[str, Any] = body.model_dump(exclude_unset=True) if body is not None else {}
        entry = (
            queries.get_singleton(person, code)
            if kind.singleton
            else _entry_for(request.auth, person, kind, item, Action.PEOPLE_SECTION_ENTRY_CHANGED)
        )
        data: dict[str, Any] = {}
        if request.method == "PATCH":
            base = entry if entry is not None else kind.model(person=person)
            data = {name: getattr(base, name) for name in kind.fields}
        data.update(sent)
        fields = _validated(kind, {**data, "version": version, "item": entry.public_id if entry else None})
        if kind.singleton:
            saved = services.save_singleton(request.auth, person, code, version=version, **fields)
        else:
            saved = services.change_entry(request.auth, entry, version=version, **fields)  # type: ignore[arg-type]  # a list's entry: found, or a 404
        response["ETag"] = etag(saved.version)
        return _entry_dict(kind, saved)

    read.__doc__ = f"Read the {code} section" + ("." if kind.singleton else " (one entry with ?item=<id>).")
    change.__doc__ = f"Change the {code} section (PUT: all fields; PATCH: those sent). Needs If-Match."
    listed: dict[str, Any] = {"entries": list[out]}  # type: ignore[valid-type]  # built per section at run time
    if code == "medication":
        listed["stopped"] = list[out]  # type: ignore[valid-type]  # built per section at run time
    list_out = type(f"{kind.model.__name__}List", (Schema,), {"__annotations__": listed})
    router.add_api_operation(
        path,
        ["GET"],
        person_route("GET", objects={} if kind.singleton else {"item": SECTION_ENTRY})(read),
        response=out if kind.singleton else out | list_out,
        url_name=f"dossier-{kind.slug}",
        operation_id=f"dossier_{code}_read",
    )
    router.add_api_operation(
        path,
        ["PUT", "PATCH"],
        person_route("PUT", "PATCH", objects={} if kind.singleton else {"item": SECTION_ENTRY})(change),
        response=out,
        url_name=f"dossier-{kind.slug}-change",
        operation_id=f"dossier_{code}_change",
    )
    if kind.singleton:
        return

    def add(
        request: ApiRequest,
        person_id: uuid.UUID,
        response: HttpResponse,
        body: body_schema | None = None,  # type: ignore[valid-type]  # a schema built per section at run time
    ) -> Status[Any]:
        person = queries.get_section_person(request.auth, person_id, code)
        queries.require_write(request.auth, person, kind.category, Action.PEOPLE_SECTION_ENTRY_ADDED)
        sent: dict[str, Any] = body.model_dump(exclude_unset=True) if body is not None else {}
        entry = services.add_entry(request.auth, person, code, **_validated(kind, sent))
        response["ETag"] = etag(entry.version)
        return Status(201, _entry_dict(kind, entry))

    def remove(request: ApiRequest, person_id: uuid.UUID, item: str | None = None) -> Status[Any]:
        person = queries.get_section_person(request.auth, person_id, code)
        queries.require_write(request.auth, person, kind.category, Action.PEOPLE_SECTION_ENTRY_REMOVED)
        version = version_from_if_match(request.headers.get("If-Match"))
        services.remove_entry(
            request.auth,
            _entry_for(request.auth, person, kind, item, Action.PEOPLE_SECTION_ENTRY_REMOVED),
            version=version,
        )
        return Status(204, None)

    add.__doc__ = f"Add an entry to the {code} section."
    remove.__doc__ = f"Remove an entry (?item=<id>) from the {code} section. Needs If-Match."
    router.add_api_operation(
        path,
        ["POST"],
        person_route("POST")(add),
        response={201: out},
        url_name=f"dossier-{kind.slug}-add",
        operation_id=f"dossier_{code}_add",
    )
    if code == "medication":
        _register_stop(path, out)
        return
    router.add_api_operation(
        path,
        ["DELETE"],
        person_route("DELETE", objects={"item": SECTION_ENTRY})(remove),
        response={204: None},
        url_name=f"dossier-{kind.slug}-remove",
        operation_id=f"dossier_{code}_remove",
    )


class StopIn(Schema):
    stopped_on: date | None = None  # today when not given
    reason: str = ""


def _register_stop(path: str, out: type[Schema]) -> None:
    """A medication line is stopped with a date and a reason, never deleted (no DELETE)."""
    kind = sections.kind("medication")

    def stop(
        request: ApiRequest,
        person_id: uuid.UUID,
        response: HttpResponse,
        item: str | None = None,
        body: StopIn | None = None,
    ) -> dict[str, Any]:
        """Stop a medication line (?item=<id>): `reason` required, `stopped_on` today unless
        given (not in the future). Needs If-Match. The line leaves the schedule and is listed
        under `stopped`."""
        body = body or StopIn()
        person = queries.get_section_person(request.auth, person_id, kind.code)
        action = Action.PEOPLE_MEDICATION_STOPPED
        queries.require_write(request.auth, person, kind.category, action)
        version = version_from_if_match(request.headers.get("If-Match"))
        line = cast(MedicationIntake, _entry_for(request.auth, person, kind, item, action))
        try:
            stopped = services.stop_medication(
                request.auth,
                line,
                version=version,
                stopped_on=body.stopped_on or timezone.localdate(),
                reason=body.reason,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                raise _one_error(error) from error
            raise
        response["ETag"] = etag(stopped.version)
        return _entry_dict(kind, stopped)

    router.add_api_operation(
        f"{path}/stop",
        ["POST"],
        person_route("POST", objects={"item": SECTION_ENTRY})(stop),
        response=out,
        url_name="dossier-medication-stop",
        operation_id="dossier_medication_stop",
    )


for _kind in sections.SECTIONS.values():
    if _kind.generic:
        _register_section(_kind)


# ── Medication problems ──────────────────────────────────────────────────────────────────────


class ProblemOut(Schema):
    id: uuid.UUID
    version: int
    kind: str
    medication: str
    description: str
    reported_by: str
    reported_at: datetime
    owner: str | None
    is_open: bool
    handled_by: str | None
    handled_at: datetime | None
    handled_note: str


class ProblemsOut(Schema):
    entries: list[ProblemOut]


class ReportIn(Schema):
    kind: str = ""
    medication: str = ""
    description: str = ""


class HandleIn(Schema):
    note: str = ""


def _problem_dict(problem: MedicationProblem) -> dict[str, Any]:
    return {
        "id": problem.public_id,
        "version": problem.version,
        "kind": problem.kind,
        "medication": problem.medication,
        "description": problem.description,
        "reported_by": str(problem.reported_by),
        "reported_at": problem.reported_at,
        "owner": str(problem.owner) if problem.owner_id else None,
        "is_open": problem.is_open,
        "handled_by": str(problem.handled_by) if problem.handled_by_id else None,
        "handled_at": problem.handled_at,
        "handled_note": problem.handled_note,
    }


PROBLEMS = "medication_problems"


@router.get("/{person_id}/dossier/medication-problems", response=ProblemsOut, url_name="dossier-medication-problems")
@person_route("GET")
def medication_problems(request: ApiRequest, person_id: uuid.UUID) -> dict[str, Any]:
    """Reported medication problems, newest first."""
    person = queries.get_section_person(request.auth, person_id, PROBLEMS)
    problems = cast(list[MedicationProblem], queries.section_entries(person, PROBLEMS))
    return {"entries": [_problem_dict(p) for p in problems]}


@router.post(
    "/{person_id}/dossier/medication-problems",
    response={201: ProblemOut},
    url_name="dossier-medication-problems-report",
)
@person_route("POST")
def report_medication_problem(request: ApiRequest, person_id: uuid.UUID, body: ReportIn | None = None) -> Status[Any]:
    """Report a side effect or intake problem; the team's pharmacist(s) and GP(s) are told."""
    person = queries.get_section_person(request.auth, person_id, PROBLEMS)
    form = ReportProblemForm(data=body.model_dump() if body else {})
    if not form.is_valid():
        raise _form_error(form)
    problem = services.report_medication_problem(request.auth, person, **form.cleaned_data)
    return Status(201, _problem_dict(problem))


@router.post(
    "/{person_id}/dossier/medication-problems/handle",
    response=ProblemOut,
    url_name="dossier-medication-problems-handle",
)
@person_route("POST", objects={"item": MEDICATION_PROBLEM})
def handle_medication_problem(
    request: ApiRequest, person_id: uuid.UUID, item: str | None = None, body: HandleIn | None = None
) -> dict[str, Any]:
    """Mark a reported problem (?item=<id>) as handled. Needs If-Match."""
    person = queries.get_section_person(request.auth, person_id, PROBLEMS)
    queries.require_problem_follow_up(request.auth, person, Action.PEOPLE_MEDICATION_PROBLEM_HANDLED)
    version = version_from_if_match(request.headers.get("If-Match"))
    problem = _entry_for(request.auth, person, sections.kind(PROBLEMS), item, Action.PEOPLE_MEDICATION_PROBLEM_HANDLED)
    note = body.note if body else ""
    return _problem_dict(
        services.mark_problem_handled(request.auth, cast(MedicationProblem, problem), version=version, note=note)
    )
