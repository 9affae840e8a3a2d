"""The zone admin edits the matrix with a history; a newer shipped file never overwrites the
zone's edits and reports the conflicts."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from access import gate, matrix, services
from access.models import MatrixCell
from audit.models import AuditEntry
from core.errors import Conflict
from core.vocab import Category, Level


def _cell(profile: str, category: str) -> MatrixCell:
    return MatrixCell.objects.get(profile=profile, category=category)


def _newer_file(tmp_path: Path, changes: dict[tuple[str, str], str], version: str = "2027-01-15") -> Path:
    """A copy of the shipped file with a new version and some levels changed."""
    text = Path(settings.ACCESS_MATRIX_FILE).read_text(encoding="utf-8")
    text = re.sub(r'^version = ".*"$', f'version = "{version}"', text, count=1, flags=re.M)
    for (profile, category), level in changes.items():
        start = text.index(f"[profiles.{profile}.cells]")
        line = re.compile(rf'^{category} = {{ level = "\w+"', re.M)
        found = line.search(text, start)
        assert found, (profile, category)
        text = text[: found.start()] + f'{category} = {{ level = "{level}"' + text[found.end() :]
    path = tmp_path / "matrix.toml"
    path.write_text(text, encoding="utf-8")
    return path


# ── editing a cell ──────────────────────────────────────────────────────────────────────────


def test_the_zone_admin_edits_a_cell_and_the_gate_follows(person, nurse, zone_admin):
    cell = _cell("nurse", "mental_health")
    assert gate.decide(nurse, person, Category.MENTAL_HEALTH, Level.READ).reason == "matrix"
    edited = services.edit_cell(zone_admin, cell, Level.READ, version=cell.version)
    assert (edited.level, edited.edited_by, edited.version, edited.shipped_level) == ("read", zone_admin, 2, "none")
    assert edited.edited_at is not None
    assert gate.decide(nurse, person, Category.MENTAL_HEALTH, Level.READ).allowed is True
    last = cell.history.order_by("-history_date", "-history_id").first()
    assert (last.history_user, last.level, last.prev_record.level) == (zone_admin, "read", "none")
    row = AuditEntry.objects.get(actor_id=zone_admin.pk, action="access.matrix_cell_edited")
    assert (row.allowed, row.detail) == (
        True,
        {"profile": "nurse", "category": "mental_health", "before": "none", "after": "read"},
    )


def test_someone_else_may_not_edit_and_nothing_changes(nurse):
    cell = _cell("nurse", "mental_health")
    with pytest.raises(PermissionDenied):
        services.edit_cell(nurse, cell, Level.WRITE, version=cell.version)
    cell.refresh_from_db()
    assert (cell.level, cell.version, cell.edited_by) == ("none", 1, None)
    row = AuditEntry.objects.get(actor_id=nurse.pk)
    assert (row.allowed, row.reason) == (False, "not_zone_admin")


def test_a_stale_version_is_refused_and_the_first_edit_survives(zone_admin):
    cell = _cell("nurse", "mental_health")
    services.edit_cell(zone_admin, cell, Level.READ, version=1)
    with pytest.raises(Conflict):
        services.edit_cell(zone_admin, cell, Level.WRITE, version=1)
    cell.refresh_from_db()
    assert (cell.level, cell.version) == ("read", 2)


def test_a_bad_or_unchanged_level_is_refused(zone_admin):
    cell = _cell("nurse", "mental_health")
    for level, code in (("everything", "invalid_level"), ("none", "unchanged")):
        with pytest.raises(ValidationError) as raised:
            services.edit_cell(zone_admin, cell, level, version=1)
        assert raised.value.code == code
    cell.refresh_from_db()
    assert (cell.level, cell.version) == ("none", 1)


def test_setting_the_shipped_level_again_makes_the_cell_follow_the_file(zone_admin):
    cell = services.edit_cell(zone_admin, _cell("nurse", "mental_health"), Level.READ, version=1)
    cell = services.edit_cell(zone_admin, cell, Level.NONE, version=cell.version)
    assert (cell.level, cell.edited_by, cell.edited_at, cell.edited_by_zone) == ("none", None, None, False)


# ── reloading a newer shipped file ──────────────────────────────────────────────────────────


def test_a_newer_file_changes_unedited_cells_keeps_edits_and_reports_conflicts(tmp_path, zone_admin):
    edited = services.edit_cell(zone_admin, _cell("nurse", "mental_health"), Level.WRITE, version=1)
    agreed = services.edit_cell(zone_admin, _cell("family", "plan"), Level.NONE, version=1)
    _cell("neighbour", "wishes").delete()  # stands for a cell the older file did not have
    path = _newer_file(
        tmp_path,
        {
            ("family", "situation"): "read",  # unedited: follows the file
            ("nurse", "mental_health"): "read",  # edited to write by the zone: conflict, kept
            ("family", "plan"): "none",  # edited by the zone; the file now agrees
        },
    )
    shipped = matrix.read_file(path)
    plan = {(c.profile, c.category): c for c in matrix.plan_reload(shipped)}
    assert set(plan) == {
        ("family", "situation"),
        ("nurse", "mental_health"),
        ("family", "plan"),
        ("neighbour", "wishes"),
    }
    assert plan[("family", "situation")].conflict is False
    assert plan[("nurse", "mental_health")].conflict is True
    assert plan[("family", "plan")].conflict is False
    assert plan[("neighbour", "wishes")].current == ""

    changes = services.reload_matrix(zone_admin, shipped)

    assert [(c.profile, c.category) for c in changes if c.conflict] == [("nurse", "mental_health")]
    assert _cell("family", "situation").level == "read"
    kept = _cell("nurse", "mental_health")
    assert (kept.level, kept.shipped_level, kept.edited_by, kept.version) == (
        "write",
        "read",
        zone_admin,
        edited.version + 1,
    )
    assert (_cell("family", "plan").level, _cell("family", "plan").edited_at) == ("none", agreed.edited_at)
    assert _cell("neighbour", "wishes").level == "none"
    assert set(MatrixCell.objects.values_list("shipped_version", flat=True)) == {"2027-01-15"}
    # The history names the zone admin for every row the reload changed, and only those.
    changed = {
        (r.profile, r.category, r.history_user_id) for r in MatrixCell.history.filter(shipped_version="2027-01-15")
    }
    assert changed == {
        ("family", "situation", zone_admin.pk),
        ("nurse", "mental_health", zone_admin.pk),
        ("family", "plan", zone_admin.pk),
        ("neighbour", "wishes", zone_admin.pk),
    }
    row = AuditEntry.objects.get(action="access.matrix_reloaded")
    assert row.detail == {"version": "2027-01-15", "changed": 2, "kept": ["nurse.mental_health"]}


def test_reloading_the_same_file_writes_no_history(zone_admin):
    before = MatrixCell.history.count()
    assert services.reload_matrix(zone_admin, matrix.read_file()) == []
    assert MatrixCell.history.count() == before


def test_only_the_zone_admin_reloads(nurse):
    with pytest.raises(PermissionDenied):
        services.reload_matrix(nurse, matrix.read_file())
    assert AuditEntry.objects.get(actor_id=nurse.pk).reason == "not_zone_admin"


# ── pages and API ───────────────────────────────────────────────────────────────────────────


def test_the_matrix_page_links_every_cell_and_offers_reloading_to_the_zone_admin(zone_admin_client, nurse_client):
    admin_body = zone_admin_client.get(reverse("access:matrix")).content.decode()
    nurse_body = nurse_client.get(reverse("access:matrix")).content.decode()
    assert reverse("access:matrix-cell", args=["nurse", "mental_health"]) in nurse_body
    assert reverse("access:matrix-reload") in admin_body
    assert reverse("access:matrix-reload") not in nurse_body


def test_the_cell_page_edits_for_the_zone_admin(zone_admin_client, zone_admin):
    url = reverse("access:matrix-cell", args=["nurse", "mental_health"])
    body = zone_admin_client.get(url).content.decode()
    assert "Change this rule" in body
    response = zone_admin_client.post(url, {"level": "read", "version": "1"})
    assert response.status_code == 302
    assert _cell("nurse", "mental_health").level == "read"
    body = zone_admin_client.get(url).content.decode()
    assert "Karin Zonebeheer" in body  # in "changed by" and in the history


def test_the_cell_page_shows_a_conflict_to_the_second_editor(zone_admin_client, zone_admin):
    url = reverse("access:matrix-cell", args=["nurse", "mental_health"])
    services.edit_cell(zone_admin, _cell("nurse", "mental_health"), Level.WRITE, version=1)
    response = zone_admin_client.post(url, {"level": "read", "version": "1"})
    assert response.status_code == 200
    assert "Someone else changed this rule. Reload to see their change." in response.content.decode()
    assert _cell("nurse", "mental_health").level == "write"


def test_the_cell_page_is_read_only_for_others(nurse_client, nurse):
    url = reverse("access:matrix-cell", args=["nurse", "mental_health"])
    response = nurse_client.get(url)
    assert response.status_code == 200
    assert "Change this rule" not in response.content.decode()
    assert nurse_client.post(url, {"level": "write", "version": "1"}).status_code == 403
    assert _cell("nurse", "mental_health").level == "none"
    assert AuditEntry.objects.get(actor_id=nurse.pk).reason == "not_zone_admin"


def test_an_unknown_cell_is_a_404(nurse_client):
    assert nurse_client.get(reverse("access:matrix-cell", args=["wizard", "medical"])).status_code == 404


def test_the_history_page_shows_who_changed_what(zone_admin, nurse_client):
    services.edit_cell(zone_admin, _cell("nurse", "mental_health"), Level.READ, version=1)
    body = nurse_client.get(reverse("access:matrix-history")).content.decode()
    assert "Karin Zonebeheer" in body
    assert "level changed" in body


def test_the_reload_page_shows_the_differences_and_applies_them(tmp_path, settings, zone_admin_client, zone_admin):
    services.edit_cell(zone_admin, _cell("nurse", "mental_health"), Level.WRITE, version=1)
    settings.ACCESS_MATRIX_FILE = _newer_file(
        tmp_path, {("family", "situation"): "read", ("nurse", "mental_health"): "read"}
    )
    body = zone_admin_client.get(reverse("access:matrix-reload")).content.decode()
    assert "2027-01-15" in body
    assert "Rules that will follow the file" in body
    assert "Conflicts: the zone's change is kept" in body
    assert zone_admin_client.post(reverse("access:matrix-reload")).status_code == 302
    assert (_cell("family", "situation").level, _cell("nurse", "mental_health").level) == ("read", "write")


def test_the_reload_page_is_for_the_zone_admin_only(nurse_client):
    assert nurse_client.get(reverse("access:matrix-reload")).status_code == 403
    assert nurse_client.post(reverse("access:matrix-reload")).status_code == 403


def test_the_api_edits_a_cell_with_if_match(zone_admin_client, nurse_client):
    url = "/api/access/matrix/nurse/mental_health"
    body = json.dumps({"level": "read"})
    assert zone_admin_client.put(url, data=body, content_type="application/json").status_code == 428
    response = zone_admin_client.put(url, data=body, content_type="application/json", HTTP_IF_MATCH='W/"1"')
    assert (response.status_code, response.json()["level"], response.json()["version"]) == (200, "read", 2)
    stale = zone_admin_client.put(
        url, data=json.dumps({"level": "write"}), content_type="application/json", HTTP_IF_MATCH='"1"'
    )
    assert stale.status_code == 412
    refused = nurse_client.put(url, data=body, content_type="application/json", HTTP_IF_MATCH='"2"')
    assert refused.status_code == 403
    cells = nurse_client.get("/api/access/matrix").json()
    assert len(cells) == 21 * 12
