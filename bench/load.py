"""A bounded load test against a Policybase server running on this machine (127.0.0.1 only).

    python bench/load.py                                   # http://127.0.0.1:8000, 1, 8 and 32 clients, 20 s each
    python bench/load.py --url http://127.0.0.1:8000 --levels 1,8 --seconds 10 --server-pid $(pgrep -of 'gunicorn.*policybase')

Each client is a thread with its own HTTP connection, looping over a fixed, weighted mix of pages, API
calls and (filtered) exports until the level's time is up; the ids and codes it asks for are read from
the API first. For each level it prints throughput, p50/p95/p99 latency, server errors (5xx or a failed
connection), other refusals (4xx, e.g. 429 from throttling) and the CPU this script used, since it
shares the machine's cores with the server (and the server's, with --server-pid). Nothing is sent to
any address but the loopback. Not a test: it prints figures (docs/operations.md has the measured ones).
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import os
import random
import socket
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

QUERIES = ("人才", "跨境电商", "融资 补贴", '"电子商务"', "企业 -外资", "海外仓 OR 物流")
REGIONS = ("深圳市", "广州市", "广东省")

# (weight, kind, path template): {q} a query, {region} a region, {measure} {document} {theme} ids read from the API.
MIX = (
    (3, "page", "/"),
    (6, "page", "/measures/?q={q}"),
    (2, "page", "/measures/?region={region}"),
    (4, "page", "/measures/{measure}/"),
    (1, "page", "/themes/"),
    (2, "page", "/themes/{theme}/"),
    (2, "page", "/compare/?theme={theme}&region=深圳市&region=广州市&region=广东省"),
    (1, "page", "/documents/"),
    (2, "page", "/documents/{document}/"),
    (4, "api", "/api/measures/?q={q}"),
    (2, "api", "/api/measures/?region={region}&page_size=50"),
    (1, "api", "/api/documents/"),
    (1, "export", "/measures/export.csv?q={q}"),
    (1, "export", "/measures/export.xlsx?q={q}"),
)


@dataclass
class Sample:
    kind: str
    status: int  # 0: the connection failed
    seconds: float


@dataclass
class Level:
    clients: int
    wall: float
    client_cpu: float
    server_cpu: float | None
    samples: list[Sample] = field(default_factory=list)
    background: tuple[int, list[float]] | None = None  # complete exports running alongside, their durations


def loopback_only(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        sys.exit(f"只支持 http://127.0.0.1:端口 形式的地址，收到 {url}")
    address = ipaddress.ip_address(socket.gethostbyname(parts.hostname))
    if not address.is_loopback:
        sys.exit(f"拒绝运行：{parts.hostname}（{address}）不是本机回环地址，负载测试只对 127.0.0.1 运行。")
    return str(address), parts.port or 80


def fetch_json(host: str, port: int, path: str):
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request("GET", quote(path, safe="/?=&"), headers={"Accept": "application/json"})
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            sys.exit(f"无法读取 {path}：HTTP {response.status}（服务器在运行吗？需要登录或被限流？）")
        return json.loads(body)
    finally:
        connection.close()


def discover(host: str, port: int) -> dict[str, list]:
    """Ids and codes that exist on this server, for the detail pages."""
    measures = fetch_json(host, port, "/api/measures/?page_size=100")["results"]
    documents = fetch_json(host, port, "/api/documents/?page_size=50")["results"]
    themes = fetch_json(host, port, "/api/themes/")
    themes = themes["results"] if isinstance(themes, dict) else themes
    found = {
        "measure": [item["id"] for item in measures],
        "document": [item["id"] for item in documents],
        "theme": [item["code"] for item in themes if item.get("code")],
        "q": list(QUERIES),
        "region": list(REGIONS),
    }
    for name, values in found.items():
        if not values:
            sys.exit(f"服务器上没有可用的 {name}：先载入数据（manage.py load_seed_corpus）")
    return found


def paths(rng: random.Random, values: dict[str, list], exports: bool):
    mix = [entry for entry in MIX if exports or entry[1] != "export"]
    weights = [weight for weight, _, _ in mix]
    while True:
        _, kind, template = rng.choices(mix, weights)[0]
        path = template.format(**{name: rng.choice(options) for name, options in values.items()})
        yield kind, quote(path, safe="/?=&")


def client(host: str, port: int, deadline: float, values: dict, exports: bool, seed: int, out: list[Sample]) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection(host, port, timeout=60)
    for kind, path in paths(rng, values, exports):
        if time.monotonic() >= deadline:
            break
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers={"Accept": "text/html,application/json"})
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=60)
        out.append(Sample(kind, status, time.perf_counter() - started))
    connection.close()


def process_cpu(pid: int) -> float:
    """CPU seconds of ``pid`` and its children (gunicorn's master and workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as file:
                fields = file.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def full_exports(host: str, port: int, deadline: float, done: list[float]) -> None:
    """Download the complete, unfiltered CSV export again and again until ``deadline``: the heaviest request a
    person can make, to see what it costs everyone else. Each finished download's seconds go to ``done``."""
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection(host, port, timeout=300)
        started = time.monotonic()
        try:
            connection.request("GET", "/measures/export.csv")
            response = connection.getresponse()
            while response.read(64 * 1024):
                pass
            if response.status == 200:
                done.append(time.monotonic() - started)
        except (OSError, http.client.HTTPException):
            done.append(float("nan"))  # a download that broke off: reported as unfinished
        finally:
            connection.close()


def run_level(host, port, clients, seconds, values, exports, server_pid, background_exports=0) -> Level:
    outs: list[list[Sample]] = [[] for _ in range(clients)]
    deadline = time.monotonic() + seconds
    finished: list[float] = []
    heavy = [
        threading.Thread(target=full_exports, args=(host, port, deadline, finished), daemon=True)
        for _ in range(background_exports)
    ]
    for thread in heavy:
        thread.start()
    server_before = process_cpu(server_pid) if server_pid else None
    cpu_before, wall_before = time.process_time(), time.monotonic()
    threads = [
        threading.Thread(target=client, args=(host, port, deadline, values, exports, 1000 * clients + n, outs[n]))
        for n in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - wall_before
    server_cpu = process_cpu(server_pid) - server_before if server_pid else None
    level = Level(clients, wall, time.process_time() - cpu_before, server_cpu)
    for thread in heavy:
        thread.join()
    if background_exports:
        level.background = (background_exports, sorted(finished))
    for out in outs:
        level.samples.extend(out)
    return level


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def report(level: Level) -> None:
    ms = sorted(sample.seconds * 1000 for sample in level.samples)
    errors = sum(1 for sample in level.samples if sample.status == 0 or sample.status >= 500)
    refused = sum(1 for sample in level.samples if 400 <= sample.status < 500)
    cores = os.cpu_count() or 1
    server = f"  server CPU {level.server_cpu / level.wall:.2f} cores" if level.server_cpu is not None else ""
    print(
        f"{level.clients:>3} clients  {len(ms):>6} requests  {len(ms) / level.wall:7.1f} req/s  "
        f"p50 {percentile(ms, 0.50):7.1f} ms  p95 {percentile(ms, 0.95):7.1f} ms  p99 {percentile(ms, 0.99):7.1f} ms  "
        f"errors {errors}  4xx {refused}  client CPU {level.client_cpu / level.wall:.2f} of {cores} cores{server}"
    )
    if level.background:
        running, finished = level.background
        complete = [seconds for seconds in finished if seconds == seconds]
        broken = len(finished) - len(complete)
        median = f", median {statistics.median(complete):.1f} s" if complete else ""
        print(
            f"      with {running} complete CSV exports running alongside: {len(complete)} finished{median}, "
            f"{broken} broke off"
        )
    for kind in ("page", "api", "export"):
        times = sorted(sample.seconds * 1000 for sample in level.samples if sample.kind == kind)
        if times:
            print(
                f"      {kind:<6} {len(times):>6} requests  p50 {percentile(times, 0.50):7.1f} ms  "
                f"p95 {percentile(times, 0.95):7.1f} ms  p99 {percentile(times, 0.99):7.1f} ms"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="the server (loopback only)")
    parser.add_argument("--levels", default="1,8,32", help="clients per level, comma-separated (default 1,8,32)")
    parser.add_argument("--seconds", type=float, default=20, help="length of each level (default 20, at most 120)")
    parser.add_argument("--no-exports", action="store_true", help="leave the exports out of the mix")
    parser.add_argument(
        "--server-pid", type=int, default=None, help="gunicorn master's pid: report the server's CPU too"
    )
    parser.add_argument(
        "--background-exports",
        type=int,
        default=0,
        help="also keep N complete, unfiltered CSV exports running during each level (the server must allow N "
        "exports per address at once: POLICYBASE_EXPORTS_AT_ONCE)",
    )
    args = parser.parse_args()
    levels = [int(value) for value in args.levels.split(",") if value.strip()]
    if not levels or min(levels) < 1 or max(levels) > 128 or not 0 < args.seconds <= 120:
        sys.exit("--levels: 1 to 128 clients each; --seconds: at most 120")
    host, port = loopback_only(args.url)
    values = discover(host, port)
    print(
        f"{args.url}: {len(values['measure'])} measures, {len(values['document'])} documents, "
        f"{len(values['theme'])} themes sampled; {args.seconds:g} s per level; exports {'off' if args.no_exports else 'on'}"
    )
    for clients in levels:
        report(
            run_level(
                host, port, clients, args.seconds, values, not args.no_exports, args.server_pid, args.background_exports
            )
        )


if __name__ == "__main__":
    main()
