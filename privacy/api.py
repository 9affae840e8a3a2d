"""The subject-access export over the API: the same JSON as the download (privacy.export)."""

import uuid
from typing import Any

from ninja import Router

from core.requests import ApiRequest
from privacy import export
from schakel.routes import person_route

router = Router(tags=["privacy"])


@router.get("/{person_id}/subject-access", response=dict[str, Any], url_name="person-subject-access")
@person_route("GET")
def subject_access(request: ApiRequest, person_id: uuid.UUID) -> dict[str, Any]:
    """Everything on file for the person, in the format `schakel-subject-access/1`
    (docs/privacy.md): for the person and their legal representative only. A team member or a
    mandate holder gets 403; anyone else the outsider's 404. Audited as an export."""
    person = export.person_for_export(request.auth, person_id, action=export.EXPORTED)
    return export.as_json(export.collect(request.auth, person, output="api"))
