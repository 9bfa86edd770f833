"""Throughput and latency of `dccs serve` for a typical regulation, with 1 and 2 document workers.

    .venv/bin/python bench/bench_serve.py [--requests 60] [--clients 4] [--burst 50] [--workers 1,2]

For each worker count it starts the service the way a user does (`python -m pipeline.cli serve`), on a free
port, waits for /healthz, warms the workers up, then:
- closed loop: --clients concurrent clients post the same DOCX (the Sở Nội vụ decision issuing a regulation,
  ≈ 45 KB, ≈ 70 rules) until --requests answers are in: requests per second and latency percentiles;
- burst: --burst uploads sent at the same moment: how many errors (anything but 200) and the p95 latency.
Figures are recorded in docs/benchmarks.md (section "Service").
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "corpus" / "so-noi-vu-quyet-dinh-quy-che.docx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(workers: int, temp_root: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--port", str(port), "--workers",
                             str(workers), "--temp-dir", temp_root, "--queue", "256"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("dccs serve did not start")


def one(client: httpx.Client, url: str, data: bytes) -> tuple[int, float]:
    t = time.perf_counter()
    r = client.post(url + "/api/v1/check", files={"file": (DOC.name, data)}, timeout=300)
    return r.status_code, time.perf_counter() - t


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


def run(workers: int, requests: int, clients: int, burst: int) -> dict:
    data = DOC.read_bytes()
    with tempfile.TemporaryDirectory() as temp_root:
        proc, url = start(workers, temp_root)
        try:
            with httpx.Client(limits=httpx.Limits(max_connections=max(clients, burst))) as client:
                for _ in range(2 * workers):  # warm-up: each worker's first document loads spaCy's vocab
                    one(client, url, data)
                single = [one(client, url, data)[1] for _ in range(20)]  # one client: latency unloaded
                with ThreadPoolExecutor(clients) as ex:
                    t = time.perf_counter()
                    loop = list(ex.map(lambda _: one(client, url, data), range(requests)))
                    wall = time.perf_counter() - t
                with ThreadPoolExecutor(burst) as ex:
                    t = time.perf_counter()
                    b = list(ex.map(lambda _: one(client, url, data), range(burst)))
                    burst_wall = time.perf_counter() - t
            left = os.listdir(temp_root)
        finally:
            proc.terminate()
            proc.wait(15)
    lat = [s for _, s in loop]
    blat = [s for _, s in b]
    return {"single_p50": statistics.median(single), "single_p95": pct(single, 95), "workers": workers, "rps": requests / wall, "p50": statistics.median(lat), "p95": pct(lat, 95),
            "loop_errors": sum(1 for c, _ in loop if c != 200), "burst": burst,
            "burst_errors": sum(1 for c, _ in b if c != 200), "burst_p95": pct(blat, 95), "burst_wall": burst_wall,
            "temp_left": len(left)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=60)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--burst", type=int, default=50)
    ap.add_argument("--workers", default="1,2")
    a = ap.parse_args()
    print(f"document: {DOC.name} ({DOC.stat().st_size // 1024} KB); {a.requests} requests from {a.clients} "
          f"clients; burst of {a.burst}; {os.cpu_count()} CPUs")
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    print(f"| workers | 1 client: p50 / p95 | {a.clients} clients: requests/s | p50 latency | p95 latency | errors | burst of 50: errors | burst p95 | "
          "burst wall | temp files left |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for w in (int(x) for x in a.workers.split(",")):
        r = run(w, a.requests, a.clients, a.burst)
        print(f"| {w} | {r['single_p50'] * 1000:.0f} / {r['single_p95'] * 1000:.0f} ms | {r['rps']:.1f} | {r['p50'] * 1000:.0f} ms | {r['p95'] * 1000:.0f} ms | {r['loop_errors']} | "
              f"{r['burst_errors']} | {r['burst_p95']:.1f} s | {r['burst_wall']:.1f} s | {r['temp_left']} | (load {os.getloadavg()[0]:.1f})", flush=True)


if __name__ == "__main__":
    main()
