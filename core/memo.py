"""A memo that lives for one request, for what the access gate reads again and again.

A dossier page asks the gate about a dozen categories of one person; each answer needs the same
relationships, consents, exclusions and matrix. Inside a request (core.middleware opens the
memo) those are read once. Any change logged through audit.services.log_change empties the memo,
so a decision never rests on what the same request has just changed. Outside a request (jobs,
tests calling services directly) nothing is remembered.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar, cast

T = TypeVar("T")

_memo: ContextVar[dict[Any, Any] | None] = ContextVar("request_memo", default=None)


@contextmanager
def request_memo() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remember(key: Any, compute: Callable[[], T]) -> T:
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return cast(T, memo[key])


def forget() -> None:
    memo = _memo.get()
    if memo is not None:
        memo.clear()
