"""The schema check of a JSON import's services, in a second process while this one prepares them.

Checking every service against the official schema is about half of a large import's validation
step; the other half (flattening each service into rows and converting their values) needs the
verdicts. A forked child checks the services chunk by chunk and sends back, per chunk, only the
problems of the services it refuses, while this process prepares each chunk as its verdicts
arrive: the two halves run on two cores. The child is forked after the file was parsed, so it
reads the same services without their being copied or pickled; it never touches the database.

Below DIRECTORY_IMPORT_PARALLEL_FROM services, or where fork does not exist, the checks run here,
chunk by chunk: the verdicts are the same either way (directory/tests/test_import.py).
"""

import multiprocessing
from collections.abc import Generator
from contextlib import suppress
from multiprocessing.connection import Connection
from typing import Any

from django.conf import settings

from interop.hsds import schema
from interop.hsds.schema import Problem

Verdicts = dict[int, list[Problem]]  # index of a refused service -> its problems


class CheckFailed(RuntimeError):
    """The checking process stopped without its verdicts."""


def _check(version: str, services: list[Any], start: int, stop: int) -> Verdicts:
    refused: Verdicts = {}
    for index in range(start, stop):
        service = services[index]
        if isinstance(service, dict) and (problems := schema.validate(version, "service", service)):
            refused[index] = problems
    return refused


def _child(version: str, services: list[Any], ranges: list[tuple[int, int]], sender: Connection) -> None:
    try:
        for start, stop in ranges:
            sender.send(_check(version, services, start, stop))
    except BaseException as error:  # reported to the parent, which raises it
        sender.send(CheckFailed(f"{type(error).__name__}: {error}"))
    finally:
        sender.close()


def verdicts(version: str, services: list[Any], chunk: int) -> Generator[tuple[int, int, Verdicts], None, None]:
    """(start, stop, refused services) per chunk of `services`, in order."""
    ranges = [(start, min(start + chunk, len(services))) for start in range(0, len(services), chunk)]
    parallel = len(services) >= settings.DIRECTORY_IMPORT_PARALLEL_FROM
    if not parallel or "fork" not in multiprocessing.get_all_start_methods():
        for start, stop in ranges:
            yield start, stop, _check(version, services, start, stop)
        return
    schema.fast_validator(version, "service")  # compiled once, before the fork: the child inherits it
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(version, services, ranges, sender), daemon=True)
    child.start()
    sender.close()  # the child holds its own end; EOF here means it is gone
    try:
        for start, stop in ranges:
            try:
                refused = receiver.recv()
            except EOFError:
                raise CheckFailed(f"the checking process stopped (exit code {child.exitcode})") from None
            if isinstance(refused, CheckFailed):
                raise refused
            yield start, stop, refused
    finally:
        receiver.close()
        child.join(timeout=5)
        if child.is_alive():
            with suppress(OSError):
                child.kill()
            child.join()
