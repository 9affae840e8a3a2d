import uuid
from datetime import date

from django.http import HttpRequest
from ninja import Router, Schema

from access.vocab import Category, Level
from people import queries, services
from schakel.routes import person_route

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
        return obj.public_id  # type: ignore[attr-defined]


@router.get("/{person_id}", response=PersonOut, url_name="person-detail")
@person_route("GET")
def person_detail(request: HttpRequest, person_id: uuid.UUID) -> object:
    return queries.get_person(request.auth, person_id, Category.IDENTITY, Level.READ, action="people.person_viewed")


class MergeIn(Schema):
    # Optional here so that a request without it still passes the gate first (an outsider gets
    # the 404, not a validation error); the service then asks for it.
    insz: str = ""


@router.post("/{person_id}/merge", response=PersonOut, url_name="person-merge")
@person_route("POST")
def merge_person(request: HttpRequest, person_id: uuid.UUID, body: MergeIn | None = None) -> object:
    """Merge this record, registered without INSZ, into the record with the given INSZ (the care
    coordinator of both only). Answers with the record that remains."""
    alias = queries.get_person(request.auth, person_id, Category.IDENTITY, Level.READ, action="people.merge_viewed")
    return services.merge_into_insz(request.auth, alias, body.insz if body else "")
