"""Import HSDS 3.0 / 3.1 data (JSON of full services, or the tabular data package).

The import never touches the published directory until its last step:

1. read and check the file (limits, JSON / CSV syntax): a bad file is refused as a whole;
2. validate every record against the official schema and check every reference, in chunks;
   each rejected record gets a problem (object, field, why) in the report;
3. stage the records in chunks into a new Dataset(status=staging), merged by HSDS id with the
   published directory: text in the other language and Schakel's own fields (professional-only
   marks, expected waits, registry numbers) are kept; in "merge" mode records the file does not
   mention are carried over too;
4. publish in one short transaction that retires the old dataset and publishes the new one.

A worker killed anywhere before step 4 leaves the published directory as it was, and a staging
dataset whose heartbeat stopped (`manage.py clean_directory_datasets`). See docs/social-map.md.
"""

import gc
import logging
import operator
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.i18n import CONTENT_LANGUAGES
from core.models import CareZone, Municipality
from directory import search
from directory.hsds import copying
from directory.hsds.records import MODELS, object_of
from directory.models import Dataset, HsdsRecord, Organization, Taxonomy, TaxonomyTerm
from interop.hsds import checking, schema
from interop.hsds.mapping import ORDER, PROFESSIONAL_ONLY_MARK, SPECS, Spec
from interop.hsds.reader import ImportRefused, Source, read
from interop.hsds.rows import BadValue, Row, flatten, to_row
from interop.hsds.schema import Problem, problem

logger = logging.getLogger(__name__)

MODES = ("merge", "replace")
# Records kept in the report; a file with more problems says how many were left out.
REPORT_LIMIT = 1000
# While staging, the progress is written when its percentage changes, or after this long (the
# heartbeat that tells a running import from a killed one, clean_directory_datasets).
HEARTBEAT_SECONDS = 10
Progress = Callable[[int, str], None]


@dataclass
class ImportResult:
    dataset: Dataset
    published: bool
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step (bench.map_bench)


def _no_progress(percent: int, stage: str) -> None:
    return None


def import_file(
    path: Path,
    *,
    language: str | None,
    mode: str = "merge",
    skip_invalid: bool = False,
    version: str = "auto",
    dataset: Dataset | None = None,
    chunk_size: int = 500,
    progress: Progress = _no_progress,
) -> ImportResult:
    """Import one file and publish it. Raises ImportRefused for a file that cannot be read; a file
    with rejected records is not published unless `skip_invalid` (the result says why)."""
    if language is not None and language not in CONTENT_LANGUAGES:
        raise ImportRefused(_("The import language must be Dutch (nl), French (fr) or English (en)."))
    if mode not in MODES:
        raise ImportRefused(_("The import mode must be “merge” or “replace”."))
    if dataset is None:
        dataset = Dataset.objects.create(
            status=Dataset.Status.STAGING, language=language or "", source=path.name, label=path.name
        )
    run = _Import(dataset, language=language, mode=mode, chunk_size=chunk_size, progress=progress)
    try:
        with _without_cycle_collection(), _sqlite_bulk_settings():
            return run.run(path, version=version, skip_invalid=skip_invalid)
    except ImportRefused as refusal:
        run.fail(refusal.message)
        raise
    except BaseException:
        # A crash (not a kill) marks the dataset failed; a kill leaves it staging for the clean-up.
        logger.exception("Import of %s failed", path.name)
        run.fail(_("The import stopped with an internal error; the published directory is unchanged."))
        raise


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """A large import holds millions of long-lived objects (the parsed file, then its rows), and
    Python's cycle collector walked them all again and again: half the time of importing 100,000
    services. The import makes no cycles worth collecting midway; the collector resumes after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# SQLite, while an import runs on its connection: a page cache that holds the indexes being filled
# (the default 2 MB made each insert re-read pages), and the write-ahead log checkpointed every
# 80 MB instead of every 4 MB. Both are per connection and restored after.
SQLITE_IMPORT_PRAGMAS = {"cache_size": -256 * 1024, "wal_autocheckpoint": 20_000}


@contextmanager
def _sqlite_bulk_settings() -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        before = {}
        for name, value in SQLITE_IMPORT_PRAGMAS.items():
            cursor.execute(f"PRAGMA {name}")
            before[name] = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA {name} = {int(value)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in before.items():
                cursor.execute(f"PRAGMA {name} = {int(value)}")


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def normalise(text: str) -> str:
    """For matching place and organisation names: no accents, case, dashes or extra spaces."""
    text = _strip_accents(text).casefold().replace("-", " ").replace("'", " ")
    return " ".join(text.split())


class _Places:
    """Municipalities and care zones by name and postcode, to link service areas and addresses."""

    def __init__(self) -> None:
        self.by_postcode: dict[str, Municipality] = {}
        self.by_name: dict[str, Municipality] = {}
        for municipality in Municipality.objects.order_by("nis_code", "postcode"):
            self.by_postcode.setdefault(municipality.postcode, municipality)
            for name in (municipality.name_nl, municipality.name_fr):
                if name:
                    self.by_name.setdefault(normalise(name), municipality)
        self.zones = {normalise(zone.name): zone for zone in CareZone.objects.all()}

    def area(self, name: str, description: str) -> tuple[Municipality | None, CareZone | None]:
        for text in (name, description):
            key = normalise(text or "")
            if not key:
                continue
            if key in self.zones:
                return None, self.zones[key]
            if key in self.by_name:
                return self.by_name[key], None
            if key.isdigit() and key in self.by_postcode:
                return self.by_postcode[key], None
        return None, None


class _Import:
    def __init__(self, dataset: Dataset, *, language: str | None, mode: str, chunk_size: int, progress: Progress):
        self.dataset = dataset
        self.language = language
        self.mode = mode
        self.chunk_size = max(1, chunk_size)
        self.on_progress = progress
        self.problems: list[Problem] = []
        self.published = Dataset.objects.published()
        self.base_id = self.published.pk if self.published else None
        self._existing: dict[str, set[str]] = {}
        self._shared_terms = {t.hsds_id: t.pk for t in TaxonomyTerm.objects.filter(dataset=None)}
        self._shared_taxonomies = dict(Taxonomy.objects.filter(dataset=None).values_list("hsds_id", "pk"))
        # Every id the file holds, accepted or not: a reference to a rejected record says so.
        self.file_ids: dict[str, set[str]] = defaultdict(set)
        self.places = _Places()
        self._reported_at = time.monotonic()

    # --- progress and failure ---

    def report_progress(self, percent: int, stage: str) -> None:
        percent = max(0, min(99, percent))
        self._reported_at = time.monotonic()
        Dataset.objects.filter(pk=self.dataset.pk).update(progress=percent, heartbeat_at=timezone.now())
        self.dataset.progress = percent
        self.on_progress(percent, stage)

    def fail(self, message: str, problems: list[Problem] | None = None) -> None:
        from directory.hsds.datasets import purge_records

        Dataset.objects.filter(pk=self.dataset.pk, status=Dataset.Status.STAGING).update(
            status=Dataset.Status.FAILED,
            message=message,
            report=list((problems or self.problems)[:REPORT_LIMIT]),
            heartbeat_at=timezone.now(),
        )
        purge_records(self.dataset)
        self.dataset.refresh_from_db()

    # --- the steps ---

    def run(self, path: Path, *, version: str, skip_invalid: bool) -> ImportResult:
        timings: dict[str, float] = {}
        clock = time.perf_counter()

        def lap(step: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            timings[step] = round(now - clock, 3)
            clock = now

        self.report_progress(0, _("Reading the file"))
        source = read(path, version)
        if source.kind == "package" and not self.language:
            raise ImportRefused(_("State the language of the data package (Dutch or French)."))
        Dataset.objects.filter(pk=self.dataset.pk).update(total=source.rows)
        lap("read")
        tables = self.validate(source)
        lap("validate")
        if self.problems and not skip_invalid:
            message = _(
                "%(count)s records were rejected, so nothing was published. Correct them, or import "
                "again publishing only the valid records."
            ) % {"count": len({(p["object"], p["record_id"]) for p in self.problems})}
            self.fail(message)
            return ImportResult(self.dataset, False, problems=self.problems)
        del source  # the parsed file: up to hundreds of MB that staging no longer needs
        counts = self.stage(tables)
        del tables
        lap("stage")
        # The search index of the new dataset is built before it is published, so that readers
        # never meet a published directory without its index.
        self.report_progress(96, _("Building the search index"))
        search.rebuild_index(self.dataset)
        lap("index")
        self.publish()
        lap("publish")
        self.suggest_terms()
        lap("suggest")
        return ImportResult(self.dataset, True, counts=counts, problems=self.problems, timings=timings)

    def suggest_terms(self) -> None:
        """Imported services arrive without the zone's need terms (HSDS term ids are the provider's),
        so each publish suggests needs for those without one; a curator confirms them on
        /map/taxonomy/suggestions/. After the switch: a failure here never undoes the publish."""
        from directory import services

        try:
            services.suggest_terms(self.dataset)
        except Exception:
            logger.exception("Suggesting needs for dataset %s failed", self.dataset.pk)

    # --- validation ---

    def validate(self, source: Source) -> dict[str, dict[str, Row]]:
        if source.kind == "json":
            return self._validate_services(source)
        return self._validate_tables(source)

    def _validate_services(self, source: Source) -> dict[str, dict[str, Row]]:
        accepted: list[tuple[str, list[Row | dict[str, Any]]]] = []
        total = max(1, len(source.services))
        with closing(checking.verdicts(source.version, source.services, self.chunk_size)) as chunks:
            for start, stop, refused in chunks:
                for index in range(start, stop):
                    service = source.services[index]
                    if not isinstance(service, dict):
                        self.problems.append(problem("service", str(index + 1), "", "not_an_object"))
                        continue
                    found = refused.get(index, [])
                    service_id = str(service.get("id", ""))
                    language = self.language or self._language_of(service)
                    if not found and not language:
                        found = [problem("service", service_id, "languages", "no_language")]
                    records: list[tuple[str, dict[str, Any]]] = []
                    prepared: list[Row | dict[str, Any]] = []
                    if not found:
                        flatten("service", service, records)
                        found, prepared = self._prepare(records, language or "", service_id)
                    if found:
                        self.problems.extend(found)
                    else:
                        accepted.append((service_id, prepared))
                self.report_progress(20 * stop // total, _("Checking the records"))
        # References: a service pointing at a record that exists nowhere is rejected with its records.
        while True:
            tables = self._rows_from(accepted)
            rejected = self._check_references(tables)
            if not rejected:
                return tables
            accepted = [entry for entry in accepted if entry[0] not in rejected]

    def _language_of(self, service: dict[str, Any]) -> str:
        """A service's text language from its `languages`, when they name exactly one of ours."""
        codes = {
            str(lang.get("code", "")).lower()[:2]
            for lang in service.get("languages") or []
            if isinstance(lang, dict) and str(lang.get("code", "")).lower()[:2] in CONTENT_LANGUAGES
        }
        return codes.pop() if len(codes) == 1 else ""

    def _rows_from(self, accepted: list[tuple[str, list[Row | dict[str, Any]]]]) -> dict[str, dict[str, Row]]:
        tables: dict[str, dict[str, Row]] = defaultdict(dict)
        identifiers: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for _owner, prepared in accepted:
            for row in prepared:
                if isinstance(row, dict):  # an organization_identifier
                    identifiers[str(row.get("organization_id", ""))].append(row)
                elif row.hsds_id not in tables[row.obj]:  # the first of repeated (embedded) records
                    tables[row.obj][row.hsds_id] = row
        self._fold_identifiers(tables, identifiers)
        self._mark_professional_only(tables)
        return tables

    def _validate_tables(self, source: Source) -> dict[str, dict[str, Row]]:
        language = self.language or ""
        tables: dict[str, dict[str, Row]] = defaultdict(dict)
        identifiers: dict[str, list[dict[str, Any]]] = defaultdict(list)
        total, done = max(1, source.rows), 0
        for obj in [*ORDER, "organization_identifier"]:
            for record in source.tables.get(obj, []):
                done += 1
                if done % self.chunk_size == 0:
                    self.report_progress(20 * done // total, _("Checking the records"))
                record_id = str(record.get("id", ""))
                found = schema.validate(source.version, obj, record, tabular=True)
                if not found and record_id in self.file_ids[obj]:
                    found = [problem(obj, record_id, "id", "duplicate_id")]
                self.file_ids[obj].add(record_id)
                prepared: list[Row | dict[str, Any]] = []
                if not found:
                    found, prepared = self._prepare([(obj, record)], language, f"{obj}:{record_id}")
                if found:
                    self.problems.extend(found)
                elif obj == "organization_identifier":
                    identifiers[str(record.get("organization_id", ""))].append(record)
                else:
                    tables[obj][record_id] = prepared[0]  # type: ignore[assignment]  # a Row: only identifiers stay dicts
        for organization_id, items in identifiers.items():
            if organization_id not in tables["organization"] and organization_id not in self._existing_ids(
                "organization"
            ):
                for item in items:
                    self.problems.append(
                        problem(
                            "organization_identifier",
                            str(item["id"]),
                            "organization_id",
                            "unknown_reference",
                            target="organization",
                            value=organization_id,
                        )
                    )
        self._fold_identifiers(tables, identifiers)
        self._mark_professional_only(tables)
        # Rejections cascade: a record pointing at a rejected one goes too.
        while rejected := self._check_references(tables):
            for obj in list(tables):
                for hsds_id in [h for h, row in tables[obj].items() if row.owner in rejected]:
                    del tables[obj][hsds_id]
        return tables

    def _prepare(
        self, records: list[tuple[str, dict[str, Any]]], language: str, owner: str
    ) -> tuple[list[Problem], list[Row | dict[str, Any]]]:
        """Rows for the records, and the values the schema lets through but the model cannot hold
        (dates, ranges, lengths). Identifiers stay HSDS dicts (they fold into organisations)."""
        found: list[Problem] = []
        prepared: list[Row | dict[str, Any]] = []
        for obj, record in records:
            if obj == "organization_identifier":
                prepared.append(record)
                continue
            try:
                prepared.append(self._row(obj, record, language, owner))
            except BadValue as bad:
                found.append(bad.problem)
        return found, prepared

    def _existing_ids(self, obj: str) -> set[str]:
        if obj not in self._existing:
            ids: set[str] = set()
            if self.published:
                ids = set(MODELS[obj]._default_manager.filter(dataset=self.published).values_list("hsds_id", flat=True))
            if obj == "taxonomy_term":
                ids |= set(self._shared_terms)
            if obj == "taxonomy":
                ids |= set(self._shared_taxonomies)
            self._existing[obj] = ids
        return self._existing[obj]

    def _check_references(self, tables: dict[str, dict[str, Row]]) -> set[str]:
        """Owners of rows whose references lead nowhere; each gets a problem."""
        rejected: set[str] = set()
        for obj in ORDER:
            for row in tables.get(obj, {}).values():
                for fk, (target, target_id) in row.refs.items():
                    if target_id in tables.get(target, {}):
                        continue
                    if self.mode == "merge" and target_id in self._existing_ids(target):
                        continue
                    if target in ("taxonomy_term", "taxonomy") and target_id in self._existing_ids(target):
                        continue
                    code = "rejected_parent" if target_id in self.file_ids[target] else "unknown_reference"
                    self.problems.append(
                        problem(obj, row.hsds_id, _ref_field(obj, fk), code, target=target, value=target_id)
                    )
                    rejected.add(row.owner)
                    break
        return rejected

    # --- one record ---

    def _row(self, obj: str, record: dict[str, Any], language: str, owner: str) -> Row:
        row = to_row(obj, record, language, owner)
        _check_lengths(obj, row.hsds_id, row.values)
        return row

    def _fold_identifiers(
        self, tables: dict[str, dict[str, Row]], identifiers: dict[str, list[dict[str, Any]]]
    ) -> None:
        """HSDS organization_identifier rows live in Organization.identifiers; KBO and RIZIV also
        in their own columns for matching (CoBRHA import)."""
        for organization_id, items in identifiers.items():
            row = tables.get("organization", {}).get(organization_id)
            if row is None:
                continue
            row.values["identifiers"] = [
                {
                    "id": str(item["id"]),
                    "scheme": str(item.get("identifier_scheme", "")),
                    "type": str(item.get("identifier_type", "")),
                    "value": str(item.get("identifier", "")),
                }
                for item in items
            ]
            for item in row.values["identifiers"]:
                kind = (item["type"] + " " + item["scheme"]).upper()
                digits = "".join(ch for ch in item["value"] if ch.isdigit())
                if ("KBO" in kind or "BCE" in kind) and len(digits) == 10:
                    row.values["kbo_number"] = digits
                elif ("RIZIV" in kind or "INAMI" in kind) and len(digits) == 11:
                    row.values["riziv_number"] = digits

    def _mark_professional_only(self, tables: dict[str, dict[str, Row]]) -> None:
        for attribute in tables.get("attribute", {}).values():
            entity = attribute.values.get("link_entity", "")
            if entity not in ("phone", "contact"):
                continue
            marks = {str(attribute.values.get("value", "")).lower(), str(attribute.values.get("label", "")).lower()}
            term = attribute.refs.get("taxonomy_term")
            if term and term[1] in tables.get("taxonomy_term", {}):
                marks.add(str(tables["taxonomy_term"][term[1]].values.get("code", "")).lower())
            target = tables.get(entity, {}).get(str(attribute.values.get("link_id", "")))
            if PROFESSIONAL_ONLY_MARK in marks and target is not None:
                target.values["professional_only"] = True
        for contact in tables.get("contact", {}).values():
            if contact.values.get("name"):
                contact.values["professional_only"] = True  # a contact naming staff is never public

    # --- staging ---

    def stage(self, tables: dict[str, dict[str, Row]]) -> dict[str, int]:
        self.ids: dict[str, dict[str, int]] = defaultdict(dict)  # HSDS object -> HSDS id -> staging pk
        self.ids["taxonomy_term"].update(self._shared_terms)
        self.ids["taxonomy"].update(self._shared_taxonomies)
        counts: dict[str, int] = {}
        total = max(1, sum(len(rows) for rows in tables.values()))
        self._done, self._total = 0, total
        copiers = copying.CopyWriters() if copying.available() else None
        try:
            for obj in ORDER:
                rows = list(tables.get(obj, {}).values())
                counts[obj] = len(rows)
                self._stage_rows(obj, rows, copiers)
                if self.published is not None and self.mode == "merge":
                    counts[obj] += self._carry_over(obj, set(tables.get(obj, {})))
        finally:
            if copiers is not None:
                copiers.close()
        return counts

    def _published_counterparts(self, obj: str, hsds_ids: list[str]) -> dict[str, models.Model]:
        if self.published is None:
            return {}
        # Only the ids the published directory holds: a chunk of new records costs no query.
        known = self._existing_ids(obj)
        hsds_ids = [hsds_id for hsds_id in hsds_ids if hsds_id in known]
        if not hsds_ids:
            return {}
        return {
            record.hsds_id: record
            for record in MODELS[obj].objects.filter(dataset=self.published, hsds_id__in=hsds_ids)  # type: ignore[attr-defined]  # an HSDS model
        }

    def _stage_rows(self, obj: str, rows: list[Row], copiers: copying.CopyWriters | None = None) -> None:
        """Write one object's rows in chunks. No model instances: a namespace per row carries the
        same attributes through the merge and derivation rules, and the chunk is written with one
        COPY (PostgreSQL) or one executemany (SQLite); a 100,000-service import has over a
        million rows, and Django's bulk_create spent most of the import building and compiling them."""
        spec = SPECS[obj]
        table = _Table.of(MODELS[obj])
        self_refs: list[tuple[int, str]] = []
        with table.writer(len(rows), copiers) as write:
            for start in range(0, len(rows), self.chunk_size):
                chunk = rows[start : start + self.chunk_size]
                published = self._published_counterparts(obj, [row.hsds_id for row in chunk])
                instances = []
                for row in chunk:
                    instance = table.new(dataset_id=self.dataset.pk, hsds_id=row.hsds_id)
                    old = published.get(row.hsds_id)
                    if old is not None:
                        self._keep_from_published(spec, instance, old, row.language)
                    for name, value in row.values.items():
                        setattr(instance, name, value)
                    for fk, (target, target_id) in row.refs.items():
                        if target == obj:
                            continue  # parent of the same kind: set once all are staged
                        setattr(instance, f"{fk}_id", self.ids[target].get(target_id))
                    self._derive(obj, instance, old)
                    instances.append(instance)
                pks = write(instances)
                for row, pk in zip(chunk, pks, strict=True):
                    self.ids[obj][row.hsds_id] = pk
                    for target, target_id in row.refs.values():
                        if target == obj:
                            self_refs.append((pk, target_id))
                self._advance(len(chunk), obj)
        self._link_parents(obj, self_refs)

    def _keep_from_published(self, spec: Spec, instance: object, old: models.Model, language: str) -> None:
        """The other languages' text and Schakel's own fields stay as published (merge by id)."""
        for name in spec.text:
            for code in CONTENT_LANGUAGES:
                if code != language:
                    setattr(instance, f"{name}_{code}", getattr(old, f"{name}_{code}"))
        for name in spec.keep:
            setattr(instance, name, getattr(old, name))
        if isinstance(instance, Organization):
            instance.identifiers = old.identifiers  # type: ignore[attr-defined]  # an Organization

    def _derive(self, obj: str, instance: Any, old: Any) -> None:
        if obj == "service_area":
            municipality, zone = self.places.area(instance.name, instance.description)
            if municipality is None and zone is None and old is not None:
                instance.municipality_id, instance.zone_id = old.municipality_id, old.zone_id
            else:
                instance.municipality_id = municipality.pk if municipality else None
                instance.zone_id = zone.pk if zone else None
        elif obj == "address":
            municipality = self.places.by_postcode.get(instance.postal_code)
            instance.municipality_id = (
                municipality.pk if municipality else (old.municipality_id if old is not None else None)
            )
        elif obj == "organization" and old is not None and instance.identifiers is not old.identifiers:
            # Identifiers from the file join those already known (e.g. from the CoBRHA registry).
            known = {(i.get("type"), i.get("value")) for i in instance.identifiers}
            instance.identifiers = [
                *instance.identifiers,
                *(i for i in old.identifiers if (i.get("type"), i.get("value")) not in known),
            ]
        elif obj == "contact" and instance.name:
            instance.professional_only = True
        if obj in ("service", "service_capacity") and old is not None:
            # A curation form read before this import must meet a Conflict, not overwrite it.
            instance.version = old.version + 1

    def _link_parents(self, obj: str, links: Iterable[tuple[int, str]]) -> None:
        model = MODELS[obj]
        updates = []
        for pk, parent_id in links:
            parent_pk = self.ids[obj].get(parent_id)
            if parent_pk is not None:
                instance = model(pk=pk)
                instance.parent_id = parent_pk  # type: ignore[attr-defined]  # only models with a parent get here
                updates.append(instance)
        for start in range(0, len(updates), self.chunk_size):
            with transaction.atomic():
                model._default_manager.bulk_update(updates[start : start + self.chunk_size], ["parent"])

    def _carry_over(self, obj: str, in_file: set[str]) -> int:
        """Merge mode: published records the file does not mention join the new dataset as they are."""
        model = MODELS[obj]
        foreign_keys = [
            f
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is not Dataset and f.related_model._meta.app_label == "directory"  # type: ignore[union-attr]  # relations resolved to model classes once the apps are ready
        ]
        pk_to_hsds = {
            f.name: dict(f.related_model.objects.filter(dataset=self.published).values_list("pk", "hsds_id"))  # type: ignore[union-attr]  # relations resolved to model classes once the apps are ready
            for f in foreign_keys
        }
        shared = {"taxonomy_term": set(self._shared_terms.values()), "taxonomy": set(self._shared_taxonomies.values())}
        copied = 0
        self_refs: list[tuple[int, str]] = []
        queryset = model._default_manager.filter(dataset=self.published).order_by("pk")
        batch: list[tuple[HsdsRecord, str | None]] = []

        def flush() -> None:
            with transaction.atomic():
                model._default_manager.bulk_create([instance for instance, _parent in batch])
            for instance, parent in batch:
                self.ids[obj][instance.hsds_id] = instance.pk
                if parent:
                    self_refs.append((instance.pk, parent))
            batch.clear()

        for old in queryset.iterator(chunk_size=self.chunk_size):
            if old.hsds_id in in_file:  # type: ignore[attr-defined]  # an HSDS record
                continue
            instance = cast(
                HsdsRecord,
                model(**{f.attname: getattr(old, f.attname) for f in model._meta.concrete_fields if not f.primary_key}),
            )
            instance.dataset_id = self.dataset.pk
            parent_hsds = None
            for fk in foreign_keys:
                old_pk = getattr(old, fk.attname)
                if old_pk is None:
                    continue
                target = object_of(fk.related_model)  # type: ignore[arg-type]  # resolved to a model class
                if old_pk in shared.get(target, set()):
                    continue
                target_hsds = pk_to_hsds[fk.name].get(old_pk)
                if fk.related_model is model:
                    setattr(instance, fk.attname, None)
                    parent_hsds = target_hsds
                else:
                    setattr(instance, fk.attname, self.ids[target].get(target_hsds) if target_hsds else None)
            batch.append((instance, parent_hsds))
            copied += 1
            if len(batch) >= self.chunk_size:
                flush()
                self._advance(0, obj)
        if batch:
            flush()
        self._link_parents(obj, self_refs)
        return copied

    def _advance(self, done: int, obj: str) -> None:
        """Count staged rows; the progress is written when its percentage changes (or as a heartbeat)."""
        self._done += done
        percent = min(99, 20 + 75 * self._done // self._total)
        if percent != self.dataset.progress or time.monotonic() - self._reported_at >= HEARTBEAT_SECONDS:
            self.report_progress(percent, _("Staging %(object)s records") % {"object": obj})

    # --- publishing ---

    def publish(self) -> None:
        """The one short transaction that switches the directory."""
        with transaction.atomic():
            current = Dataset.objects.select_for_update().filter(status=Dataset.Status.PUBLISHED).first()
            if self.mode == "merge" and (current.pk if current else None) != self.base_id:
                raise ImportRefused(_("Another import was published meanwhile; run this import again."))
            if current is not None:
                Dataset.objects.filter(pk=current.pk).update(status=Dataset.Status.RETIRED)
            switched = Dataset.objects.filter(pk=self.dataset.pk, status=Dataset.Status.STAGING).update(
                status=Dataset.Status.PUBLISHED,
                published_at=timezone.now(),
                progress=100,
                heartbeat_at=timezone.now(),
                report=list(self.problems[:REPORT_LIMIT]),
            )
            if switched != 1:
                # The clean-up took this dataset for abandoned: never publish half a directory.
                raise ImportRefused(_("The import was stopped before it could be published."))
        self.dataset.refresh_from_db()
        self.on_progress(100, _("Published"))


class _Table:
    """How staging writes one model's rows without model instances: the columns, the values a new
    row starts with (the model's defaults; auto_now and callable defaults per row) and the values
    that need the database's own format (dates, decimals, JSON)."""

    _tables: dict[type[models.Model], "_Table"] = {}

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.static: dict[str, Any] = {}
        self.per_row: dict[str, Callable[[], Any]] = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.per_row[f.attname] = timezone.now
            elif f.has_default() and callable(f.default):
                self.per_row[f.attname] = f.get_default
            else:
                self.static[f.attname] = f.get_default()
        converted = (models.DateField, models.DecimalField, models.JSONField)  # DateTimeField is a DateField
        self.to_convert = [position for position, f in enumerate(self.fields) if isinstance(f, converted)]
        self.read = operator.attrgetter(*(f.attname for f in self.fields))

    @classmethod
    def of(cls, model: type[models.Model]) -> "_Table":
        if model not in cls._tables:
            cls._tables[model] = cls(model)
        return cls._tables[model]

    def new(self, **values: Any) -> SimpleNamespace:
        start = {**self.static, **values}
        for name, make in self.per_row.items():
            start[name] = make()
        return SimpleNamespace(**start)

    def _db_rows(self, instances: list[SimpleNamespace]) -> list[list[Any]]:
        rows = []
        read = self.read
        for instance in instances:
            row = list(read(instance))
            for position in self.to_convert:
                if row[position] is not None:
                    row[position] = self.fields[position].get_db_prep_save(row[position], connection)
            rows.append(row)
        return rows

    @contextmanager
    def writer(
        self, total: int, copiers: copying.CopyWriters | None
    ) -> Iterator[Callable[[list[SimpleNamespace]], list[int]]]:
        """A function that writes a chunk of new rows and returns their primary keys, in order.

        With `copiers` (PostgreSQL, copying.py): the keys of all `total` rows are drawn from the
        table's sequence at once, each chunk is handed to a writer thread, and leaving the block
        waits until all are committed. Without: each chunk is written here (_insert)."""
        if copiers is None:
            yield self._insert
            return
        keys = iter(self._keys(total))
        statement = self._copy_statement()

        def write(instances: list[SimpleNamespace]) -> list[int]:
            pks = list(islice(keys, len(instances)))
            copiers.copy(statement, [[pk, *row] for pk, row in zip(pks, self._db_rows(instances), strict=True)])
            return pks

        yield write
        copiers.drain()

    def _keys(self, count: int) -> list[int]:
        """`count` new primary keys from the table's own sequence (PostgreSQL)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [self.model._meta.db_table, count],
            )
            return [pk for (pk,) in cursor.fetchall()]

    def _copy_statement(self) -> str:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        return f"COPY {quote(self.model._meta.db_table)} (id, {columns}) FROM STDIN"

    def _insert(self, instances: list[SimpleNamespace]) -> list[int]:
        """Write one chunk on this connection, in a transaction (a savepoint inside one)."""
        if not instances:
            return []
        rows = self._db_rows(instances)
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                pks = self._keys(len(rows))
                with cursor.cursor.copy(self._copy_statement()) as copy:
                    for pk, row in zip(pks, rows, strict=True):
                        copy.write_row([pk, *row])
                return pks
            quote = connection.ops.quote_name
            table = self.model._meta.db_table
            columns = ", ".join(quote(f.column) for f in self.fields)
            marks = ", ".join(["%s"] * len(self.fields))
            cursor.executemany(f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})", rows)  # noqa: S608
            # One writer holds SQLite's lock for the whole transaction, so the keys are consecutive.
            cursor.execute("SELECT last_insert_rowid()")
            last = cursor.fetchone()[0]
            first = last - len(rows) + 1
            cursor.execute(
                f"SELECT COUNT(*) FROM {quote(table)} WHERE id BETWEEN %s AND %s AND dataset_id = %s",  # noqa: S608
                [first, last, instances[0].dataset_id],
            )
            if cursor.fetchone()[0] != len(rows):
                raise RuntimeError(f"Staged keys of {table} are not consecutive.")
            return list(range(first, last + 1))


def _ref_field(obj: str, fk: str) -> str:
    """The HSDS field behind a model reference (attributes link by link_id)."""
    return next((name for name, (key, _target) in SPECS[obj].refs.items() if key == fk), "link_id")


@cache
def _length_limits(model: type[models.Model]) -> dict[str, int]:
    """The model's text fields with a maximum length (read once: a large import checks millions of values)."""
    return {f.name: f.max_length for f in model._meta.concrete_fields if f.max_length}


def _check_lengths(obj: str, hsds_id: str, values: dict[str, Any]) -> None:
    if len(hsds_id) > 64:
        raise BadValue(problem(obj, hsds_id[:64], "id", "too_long", limit=64))
    limits = _length_limits(MODELS[obj])
    for name, value in values.items():
        limit = limits.get(name)
        if limit and isinstance(value, str) and len(value) > limit:
            raise BadValue(problem(obj, hsds_id, name, "too_long", limit=limit))
