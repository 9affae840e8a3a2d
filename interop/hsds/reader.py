"""Reading an HSDS file: JSON of full services, or the tabular data package (a folder or a .zip
holding datapackage.json and one CSV per object). Limits (DIRECTORY_IMPORT_MAX_BYTES,
DIRECTORY_IMPORT_MAX_ROWS) are checked before anything is parsed into the database; a file that
cannot be read is refused as a whole with a translated message."""

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from interop.hsds import schema


class ImportRefused(Exception):
    """The whole file is refused: nothing is imported. The message is translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# A service listing one of these is HSDS 3.1 data.
V31_SERVICE_KEYS = ("capacities", "additional_urls")
V31_TABLES = ("service_capacity", "unit", "url")


@dataclass
class Source:
    """What was read: full services (JSON) or flat tables (data package)."""

    kind: str  # "json" | "package"
    version: str  # "3.0" | "3.1"
    services: list[Any] = field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return len(self.services) if self.kind == "json" else sum(len(rows) for rows in self.tables.values())


def _limits() -> tuple[int, int]:
    return settings.DIRECTORY_IMPORT_MAX_BYTES, settings.DIRECTORY_IMPORT_MAX_ROWS


def _too_big(size: int) -> ImportRefused:
    max_bytes, _rows = _limits()
    return ImportRefused(
        _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
        % {"size": round(size / 1_048_576, 1), "limit": round(max_bytes / 1_048_576, 1)}
    )


def _too_many(rows: int) -> ImportRefused:
    return ImportRefused(
        _("The file has too many records (%(rows)s); the limit is %(limit)s.") % {"rows": rows, "limit": _limits()[1]}
    )


def _count_records(value: Any) -> int:
    """Every object in a JSON document, nested ones included (for the row limit)."""
    if isinstance(value, dict):
        return 1 + sum(_count_records(v) for v in value.values() if isinstance(v, dict | list))
    if isinstance(value, list):
        return sum(_count_records(v) for v in value)
    return 0


def read(path: Path, version: str = "auto") -> Source:
    """Read and check an import file. Raises ImportRefused."""
    if not path.exists():
        raise ImportRefused(_("The file %(name)s does not exist.") % {"name": path.name})
    if path.is_dir():
        source = _read_package(_FolderFiles(path))
    else:
        max_bytes, _rows = _limits()
        size = path.stat().st_size
        if size > max_bytes:
            raise _too_big(size)
        if zipfile.is_zipfile(path):
            try:
                with zipfile.ZipFile(path) as archive:
                    source = _read_package(_ZipFiles(archive))
            except zipfile.BadZipFile as error:
                raise ImportRefused(_("The zip file is damaged and cannot be read.")) from error
        else:
            source = _read_json(path.read_bytes())
    if version != "auto":
        source.version = version
    return source


def _read_json(data: bytes) -> Source:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ImportRefused(_("The file is not UTF-8 text: neither JSON nor a zip data package.")) from error
    except json.JSONDecodeError as error:
        raise ImportRefused(
            _("The file is not valid JSON (line %(line)s, column %(column)s: %(reason)s).")
            % {"line": error.lineno, "column": error.colno, "reason": error.msg}
        ) from error
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        services = document["contents"]
    elif isinstance(document, list):
        services = document
    else:
        raise ImportRefused(
            _("The JSON must be a list of HSDS services, or an HSDS API page with a “contents” list of services.")
        )
    rows = _count_records(services)
    if rows > _limits()[1]:
        raise _too_many(rows)
    is_31 = any(isinstance(s, dict) and any(key in s for key in V31_SERVICE_KEYS) for s in services)
    return Source(kind="json", version="3.1" if is_31 else "3.0", services=services)


class _FolderFiles:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def names(self) -> list[str]:
        return [p.name for p in self.root.iterdir() if p.is_file()]

    def size(self) -> int:
        return sum(p.stat().st_size for p in self.root.iterdir() if p.is_file())

    def open(self, name: str) -> bytes:
        return (self.root / name).read_bytes()


class _ZipFiles:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        # Only top-level entries count; a nested or absolute path is never opened.
        self.entries = {
            info.filename: info
            for info in archive.infolist()
            if not info.is_dir() and "/" not in info.filename.strip("/")
        }
        folders = {PurePosixPath(info.filename).parts[0] for info in archive.infolist() if "/" in info.filename}
        if not self.entries and len(folders) == 1:
            # A zipped folder: datapackage.json one level down.
            prefix = folders.pop() + "/"
            self.entries = {
                info.filename.removeprefix(prefix): info
                for info in archive.infolist()
                if info.filename.startswith(prefix) and not info.is_dir() and "/" not in info.filename[len(prefix) :]
            }

    def names(self) -> list[str]:
        return list(self.entries)

    def size(self) -> int:
        # Uncompressed size: a small zip may unpack to gigabytes.
        return sum(info.file_size for info in self.entries.values())

    def open(self, name: str) -> bytes:
        return self.archive.read(self.entries[name])


def _read_package(files: "_FolderFiles | _ZipFiles") -> Source:
    max_bytes, max_rows = _limits()
    size = files.size()
    if size > max_bytes:
        raise _too_big(size)
    if "datapackage.json" not in files.names():
        raise ImportRefused(_("The data package has no datapackage.json."))
    try:
        descriptor = json.loads(files.open("datapackage.json").decode("utf-8-sig"))
        resources = descriptor["resources"]
        if not isinstance(resources, list):
            raise TypeError
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as error:
        raise ImportRefused(_("datapackage.json is not a valid data package descriptor.")) from error
    names = set(files.names())
    tables: dict[str, list[dict[str, Any]]] = {}
    rows = 0
    declared_version = str(descriptor.get("version", ""))
    known = set(schema.object_names("3.1"))
    for resource in resources:
        if not isinstance(resource, dict):
            continue
        name, filename = resource.get("name"), resource.get("path")
        if name not in known or not isinstance(filename, str) or filename not in names:
            continue
        text = _decode(files.open(filename), filename)
        table = []
        for row in _csv_rows(text, filename, name):
            rows += 1
            if rows > max_rows:
                raise _too_many(rows)
            table.append(row)
        tables[name] = table
    if "service" not in tables and "organization" not in tables:
        raise ImportRefused(_("The data package holds neither services.csv nor organizations.csv."))
    is_31 = declared_version.startswith("3.1") or any(tables.get(t) for t in V31_TABLES)
    return Source(kind="package", version="3.1" if is_31 else "3.0", tables=tables)


def _decode(data: bytes, filename: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(_("%(file)s is not UTF-8 text.") % {"file": filename}) from error


def _csv_rows(text: str, filename: str, object_name: str) -> Iterator[dict[str, Any]]:
    """The rows of one CSV as HSDS records: empty cells are left out, numbers typed by the schema."""
    properties = schema.schema("3.1", object_name).get("properties", {})
    numeric = {name for name, prop in properties.items() if prop.get("type") == "number"}
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header or "id" not in header:
            raise ImportRefused(_("%(file)s has no header row with an “id” column.") % {"file": filename})
        for line in reader:
            if not any(cell.strip() for cell in line):
                continue
            if len(line) != len(header):
                raise ImportRefused(
                    _("%(file)s, line %(line)s: %(found)s cells where the header has %(expected)s.")
                    % {"file": filename, "line": reader.line_num, "found": len(line), "expected": len(header)}
                )
            record: dict[str, Any] = {}
            for column, cell in zip(header, line, strict=True):
                if cell == "":
                    continue
                record[column] = _number(cell) if column in numeric else cell
            yield record
    except csv.Error as error:
        raise ImportRefused(
            _("%(file)s is not valid CSV (line %(line)s: %(reason)s).")
            % {"file": filename, "line": reader.line_num, "reason": str(error)}
        ) from error


def _number(cell: str) -> Any:
    """A CSV number cell as a JSON number; a non-number stays text so the schema reports it."""
    try:
        value = float(cell)
    except ValueError:
        return cell
    return int(value) if value.is_integer() and "." not in cell and "e" not in cell.lower() else value
