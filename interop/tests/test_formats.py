"""interop knows the HSDS format only: it imports no app that owns data, serialises any record of
the mapped shape (here plain objects, no database), and writes a data package its own reader reads
back."""

import ast
import io
import zipfile
from pathlib import Path
from types import SimpleNamespace

from interop.hsds import exporter, reader, schema
from interop.hsds.serialize import IdMap, flat
from interop.tests import samples

INTEROP = Path(__file__).resolve().parents[1]
# The layers below interop; the apps that own data (directory, people ...) import interop, not the reverse.
ALLOWED_ROOTS = {"core", "interop"}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_interop_imports_no_app_that_owns_data():
    project_apps = {path.parent.name for path in INTEROP.parent.glob("*/apps.py")}
    assert {"directory", "core", "interop"} <= project_apps
    for path in INTEROP.rglob("*.py"):
        for module in _imported_modules(path):
            root = module.split(".")[0]
            assert root not in project_apps - ALLOWED_ROOTS, f"{path.relative_to(INTEROP.parent)} imports {module}"


def test_a_plain_record_serialises_with_its_references_as_hsds_ids():
    asked = []

    def lookup(obj, pk):
        asked.append((obj, pk))
        return samples.uid(obj, pk)

    ids = IdMap(lookup=lookup)
    program = SimpleNamespace(
        pk=7,
        hsds_id=samples.uid("program", 1),
        organization_id=3,
        name_nl="",
        name_fr="Programme",
        description_nl="Beschrijving",
        description_fr="",
        alternate_name="",
    )
    record = flat("program", program, "nl", ids)
    assert record == {
        "id": samples.uid("program", 1),
        "organization_id": samples.uid("organization", 3),
        "name": "Programme",  # a required name falls back to the other language
        "description": "Beschrijving",
    }
    assert schema.validate("3.1", "program", record, tabular=True) == []
    flat("program", program, "fr", ids)
    assert asked == [("organization", 3)]  # looked up once, then known
    assert ids.get("program", 7) == samples.uid("program", 1)


def test_a_written_package_reads_back_with_the_same_rows(tmp_path):
    unit = {"id": samples.uid("unit", 1), "name": "places", "scheme": "SCHAKEL", "identifier": "", "uri": ""}
    data = exporter.write_package(lambda obj: iter([unit] if obj == "unit" else []))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
    assert "datapackage.json" in names
    assert {resource["path"] for resource in exporter.descriptor()["resources"]} <= names
    (tmp_path / "package.zip").write_bytes(data)
    source = reader.read(tmp_path / "package.zip")
    assert source.version == "3.1"
    assert source.tables["unit"] == [{"id": unit["id"], "name": "places", "scheme": "SCHAKEL"}]
