"""The caller's own account over the API (session or token): who am I, and my language."""

import uuid
from typing import Literal

from ninja import Router, Schema

from accounts import services
from accounts.models import User
from core.requests import ApiRequest
from schakel.routes import own_account_route

router = Router(tags=["account"])


class AccountOut(Schema):
    id: uuid.UUID
    email: str
    full_name: str
    profile: str
    language: str

    @staticmethod
    def resolve_id(obj: User) -> uuid.UUID:
        return obj.public_id


class LanguageIn(Schema):
    language: Literal["nl", "fr", "en"]


@router.get("/me", response=AccountOut, url_name="account-me")
@own_account_route("GET")
def me(request: ApiRequest) -> User:
    return request.auth


@router.post("/language", response=AccountOut, url_name="account-language")
@own_account_route("POST")
def set_language(request: ApiRequest, body: LanguageIn) -> User:
    return services.set_language(request.auth, body.language)
