#!/usr/bin/env python3
"""Time one submission (3 uploads, 6 artifacts) made two ways against a
running ticketd: one bundle/ call, and the seed's separate calls (source
packages, uploads, ticket, subtickets, artifacts, then the PATCH that queues
it). Standard library only; one keep-alive connection each way.

    ticketd serve --no-auth --data-dir /tmp/timing &
    python3 tools/submission-timing.py http://127.0.0.1:8000 200
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse

UPLOADS = [("foo", "1.2-3"), ("bar", "2.0-1"), ("baz", "0.9-2")]


def call(conn, method, path, body=None, headers=None):
    payload = json.dumps(body) if body is not None else None
    h = {"Content-Type": "application/json"} if payload else {}
    h.update(headers or {})
    conn.request(method, path, body=payload, headers=h)
    response = conn.getresponse()
    data = response.read()
    if response.status >= 300 and response.status != 409:
        raise SystemExit(f"{method} {path}: {response.status} {data[:200]!r}")
    return response.status, json.loads(data) if data else None


def ticket_body(i):
    return {"title": f"timing {i}", "owner": "dev@example.com", "description": "timing run"}


def bundle(conn, i):
    uploads = [
        {"sourcepackage": s, "version": v,
         "artifacts": [{"name": f"{s}_{v}.dsc", "reference": f"https://files.example/{s}/{i}.dsc", "type": "SPU"},
                       {"name": f"{s}_{v}.tar.xz", "reference": f"https://files.example/{s}/{i}.tar.xz", "type": "SPU"}]}
        for s, v in UPLOADS
    ]
    call(conn, "POST", "/api/v1/bundle/", {"ticket": ticket_body(i), "uploads": uploads})


def seed_flow(conn, i):
    status, ticket = call(conn, "POST", "/api/v1/ticket/", ticket_body(i))
    for source, version in UPLOADS:
        status, sp = call(conn, "POST", "/api/v1/sourcepackage/", {"name": source})
        sp_uri = sp["resource_uri"] if status == 201 else sp["error"]["existing"]
        _, spu = call(conn, "POST", "/api/v1/spu/", {"sourcepackage": sp_uri, "version": version})
        _, sub = call(conn, "POST", "/api/v1/subticket/",
                      {"source_package_upload": spu["resource_uri"], "ticket": ticket["resource_uri"]})
        for ext in ("dsc", "tar.xz"):
            call(conn, "POST", "/api/v1/subticketartifact/",
                 {"name": f"{source}_{version}.{ext}", "subticket": sub["resource_uri"],
                  "reference": f"https://files.example/{source}/{i}.{ext}", "type": "SPU"})
    call(conn, "PATCH", f"/api/v1/updateticketstatus/{ticket['id']}/", {"current_workflow_step": 100, "status": 0})


def measure(name, fn, host, port, n):
    conn = http.client.HTTPConnection(host, port)
    samples = []
    for i in range(n):
        start = time.perf_counter()
        fn(conn, i)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    print(f"{name:10} n={n}  median {statistics.median(samples):7.2f} ms  "
          f"p90 {samples[int(n * 0.9) - 1]:7.2f} ms  mean {statistics.mean(samples):7.2f} ms")
    return statistics.median(samples)


def main():
    url = urllib.parse.urlparse(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    b = measure("bundle", bundle, url.hostname, url.port or 80, n)
    s = measure("seed-flow", seed_flow, url.hostname, url.port or 80, n)
    print(f"seed-flow / bundle = {s / b:.1f}x (17 requests vs 1)")


if __name__ == "__main__":
    main()
