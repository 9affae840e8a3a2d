"""Enumerate every page and API route with its declared scope (schakel/routes.py)."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from schakel.api import api
from schakel.routes import LIBRARY_ROUTE_SCOPES


@dataclass(frozen=True)
class Route:
    name: str  # namespaced URL name
    pattern: str
    scope: str | None
    methods: tuple[str, ...]
    params: tuple[str, ...]
    objects: tuple[tuple[str, str], ...] = ()  # (request field, kind of the person's thing)
    object_methods: tuple[str, ...] = ()  # the methods that take them


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield entry, prefix + str(entry.pattern), namespace


def _library_scope(path: str) -> str | None:
    for prefix, scope in LIBRARY_ROUTE_SCOPES.items():
        if path.startswith(prefix):
            return scope
    return None


def page_routes() -> Iterator[Route]:
    """Django (non-API) routes."""
    for pattern, path, namespace in _walk(get_resolver().url_patterns):
        callback = pattern.callback
        if path.startswith("api/") and not _library_scope(path):
            continue  # API operations are listed by api_routes()
        scope = getattr(callback, "route_scope", None) or _library_scope(path)
        name = f"{namespace}:{pattern.name}" if namespace and pattern.name else (pattern.name or path)
        yield Route(
            name,
            path,
            scope,
            getattr(callback, "route_methods", ("GET",)),
            tuple(pattern.pattern.converters),
            tuple(getattr(callback, "route_objects", {}).items()),
            getattr(callback, "route_object_methods", ()),
        )


def api_routes() -> Iterator[Route]:
    """Each django-ninja operation, with the scope declared on its endpoint function."""
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                function = operation.view_func
                for method in operation.methods:
                    params = tuple(part[1:-1].split(":")[-1] for part in path.split("/") if part.startswith("{"))
                    yield Route(
                        f"api:{operation.url_name}" if operation.url_name else f"api:{path}",
                        # A nested router's prefix comes as "plans/", a top one's as "/plans".
                        "/".join(filter(None, ("api", prefix.strip("/"), path.lstrip("/")))),
                        getattr(function, "route_scope", None),
                        (method,),
                        params,
                        tuple(getattr(function, "route_objects", {}).items()),
                        getattr(function, "route_object_methods", ()),
                    )


def all_routes() -> list[Route]:
    return [*page_routes(), *api_routes()]
