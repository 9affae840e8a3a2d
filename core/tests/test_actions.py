"""Every action code the code writes to the access log is declared in core.actions."""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

from core.actions import Action

WRITING_APPS = ("access", "accounts", "audit", "notifications", "people", "privacy", "teams")
ACTION_CODE = re.compile(rf"({'|'.join(WRITING_APPS)})\.[a-z][a-z_]*")


def _string_constants(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    return {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def _codes_in_the_code() -> set[str]:
    from teams import handover

    # Strings of the same shape that are no action codes: URL modules and handover item kinds.
    not_actions = {provider.kind for provider in handover.providers()}
    found = set()
    for app in WRITING_APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "tests" in path.parts or "migrations" in path.parts:
                continue
            found |= {text for text in _string_constants(path) if ACTION_CODE.fullmatch(text)}
    return {code for code in found if not code.endswith("urls") and code not in not_actions}


def test_every_action_code_in_the_code_is_declared():
    codes = _codes_in_the_code()
    assert len(codes) > 20  # the scan finds them
    assert sorted(codes - set(Action)) == []


def test_every_declared_code_names_an_installed_app():
    labels = {config.label for config in apps.get_app_configs()}
    assert [code for code in Action if code.split(".")[0] not in labels] == []
