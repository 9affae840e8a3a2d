"""The social map has the shape of the other apps: its views and API endpoints parse input, call a
query (queries.py, hsds/output.py) or a change (services.py, curation/services.py) and render; none
reads or writes models itself."""

import ast
from pathlib import Path

import pytest

DIRECTORY = Path(__file__).resolve().parents[1]
THIN = ["views.py", "api.py", "export_views.py", "hsds_api.py", "curation/views.py"]


def _orm_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("objects", "_default_manager"):
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module in ("django.db", "django.db.models"):
            found.append(f"line {node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.Name) and node.id in ("get_object_or_404", "get_list_or_404"):
            found.append(f"line {node.lineno}: {node.id}")
    return found


@pytest.mark.parametrize("name", THIN)
def test_views_and_endpoints_leave_the_orm_to_queries_and_services(name):
    assert _orm_uses(DIRECTORY / name) == []
