"""A small load client: N threads, each with its own keep-alive HTTP connection to 127.0.0.1 and
its own logged-in session, requesting pages until a request count or a time limit is reached.
It records the latency and status of every request.

Only 127.0.0.1 is ever contacted: the benchmark loads the server it started itself.
"""

import http.client
import itertools
import statistics
import threading
import time
from dataclasses import dataclass, field
from typing import Any

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Client:
    """One logged-in user: a session cookie and the pages it may read."""

    cookie: str
    paths: list[str]


@dataclass
class Result:
    concurrency: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds, 2xx answers only
    statuses: dict[int, int] = field(default_factory=dict)  # status -> count; 0 = connection error

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    @property
    def non_2xx(self) -> int:
        return sum(count for status, count in self.statuses.items() if not 200 <= status < 300)

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        if len(self.latencies) == 1:
            return self.latencies[0]
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[round(share * 100) - 1]

    def merge(self, other: "Result") -> None:
        """Pool another slice of the same measurement into this one."""
        self.seconds += other.seconds
        self.latencies.extend(other.latencies)
        for status, count in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + count

    def summary(self) -> dict[str, Any]:
        return {
            "concurrency": self.concurrency,
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "rps": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(self.percentile(0.50) * 1000, 2),
            "p95_ms": round(self.percentile(0.95) * 1000, 2),
            "non_2xx": self.non_2xx,
            "statuses": {str(status): count for status, count in sorted(self.statuses.items())},
        }


def run(port: int, clients: list[Client], concurrency: int, max_requests: int, max_seconds: float) -> Result:
    """Send at most max_requests requests, for at most max_seconds, from `concurrency` threads.
    Thread n uses clients[n % len(clients)] and walks through its pages in turn."""
    if not clients:
        raise ValueError("The load client needs at least one logged-in client.")
    tickets = itertools.count()  # next() on it is atomic under the GIL: a shared request budget
    deadline = time.monotonic() + max_seconds
    lock = threading.Lock()
    result = Result(concurrency)

    def worker(client: Client) -> None:
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        headers = {"Cookie": client.cookie, "Accept": "text/html", "Accept-Language": "nl"}
        for ticket in tickets:
            if ticket >= max_requests or time.monotonic() >= deadline:
                break
            path = client.paths[ticket % len(client.paths)]
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                connection.close()  # the next request opens a new connection
            elapsed = time.perf_counter() - started
            statuses[status] = statuses.get(status, 0) + 1
            if 200 <= status < 300:
                latencies.append(elapsed)
        connection.close()
        with lock:
            result.latencies.extend(latencies)
            for status, count in statuses.items():
                result.statuses[status] = result.statuses.get(status, 0) + count

    threads = [
        threading.Thread(target=worker, args=(clients[n % len(clients)],), daemon=True) for n in range(concurrency)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result
