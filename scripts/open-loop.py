#!/usr/bin/env python3
"""Open-loop load: badge scans sent at a fixed rate, whatever the server answers.

Usage: scripts/open-loop.py --url http://127.0.0.1:8080 --auth TOKEN --tokens FILE \
           --edition SLUG [--rate 500] [--duration 10 | --count N] [--connections 64] [--phase fr]

Request i is due at start + i / rate. It goes out on the first idle keep-alive
connection; when every connection is busy it waits, and that wait counts: latency is
measured from the due time, not from the moment it was written (no coordinated
omission). The generator's own lateness (due time to write) is reported apart, so a
slow generator shows as such. Prints `name value` lines (microseconds) on stdout.

Each request is POST /api/v1/checkins with the next token of the file in turn, a nonce
of its own, one of four desks, and the edition. Standard library only.
"""

import argparse
import asyncio
import json
import selectors
import sys
import time
from urllib.parse import urlsplit


class Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection, one request at a time."""

    def __init__(self):
        self.transport = None
        self.buffer = bytearray()
        self.waiter = None
        self.closed = asyncio.get_running_loop().create_future()

    def connection_made(self, transport):
        self.transport = transport

    def connection_lost(self, exc):
        if self.waiter and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("connection closed"))
        if not self.closed.done():
            self.closed.set_result(None)

    def data_received(self, data):
        self.buffer += data
        self._try_complete()

    def _try_complete(self):
        if self.waiter is None or self.waiter.done():
            return
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
        length = None
        for line in head[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        if length is None:
            self.waiter.set_exception(ValueError("response without Content-Length"))
            return
        if len(self.buffer) < end + 4 + length:
            return
        body = bytes(self.buffer[end + 4 : end + 4 + length])
        del self.buffer[: end + 4 + length]
        status = int(head[0].split(" ", 2)[1])
        self.waiter.set_result((time.perf_counter_ns(), status, body))

    async def send(self, data):
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(data)
        return await self.waiter


def percentile(sorted_values, p):
    if not sorted_values:
        return 0
    rank = max(1, min(len(sorted_values), -(-len(sorted_values) * p // 100)))
    return sorted_values[int(rank) - 1]


async def main(args):
    url = urlsplit(args.url)
    host, port = url.hostname, url.port or 80
    tokens = [t for t in open(args.tokens).read().split() if t]
    loop = asyncio.get_running_loop()

    connections = []
    for _ in range(args.connections):
        _, conn = await loop.create_connection(Connection, host, port)
        connections.append(conn)
    idle = asyncio.Queue()
    for c in connections:
        idle.put_nowait(c)

    head = (
        f"POST /api/v1/checkins HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Authorization: Bearer {args.auth}\r\nContent-Type: application/json\r\n"
    ).encode()

    def request(i):
        body = json.dumps(
            {
                "token": tokens[(args.offset + i) % len(tokens)],
                "nonce": f"{args.phase}-{i:010d}",
                "desk": f"Accueil {i % 4 + 1}",
                "edition": args.edition,
            },
            separators=(",", ":"),
        ).encode()
        return head + f"Content-Length: {len(body)}\r\n\r\n".encode() + body

    # round(), not int(): 7000 * (100000 / 7000) is 99999.99999999999.
    total = args.count if args.count else round(args.rate * args.duration)
    interval_ns = int(1e9 / args.rate)
    from_due, service, lag = [], [], []
    statuses, results = {}, {}
    errors = 0
    in_flight = 0
    max_in_flight = 0

    async def one(i, due_ns):
        nonlocal errors, in_flight, max_in_flight
        data = request(i)
        conn = await idle.get()
        in_flight += 1
        max_in_flight = max(max_in_flight, in_flight)
        sent_ns = time.perf_counter_ns()
        lag.append(sent_ns - due_ns)
        try:
            done_ns, status, body = await conn.send(data)
        except (ConnectionError, ValueError) as e:
            errors += 1
            print(f"open-loop: request {i}: {e}", file=sys.stderr)
            in_flight -= 1
            return
        idle.put_nowait(conn)
        in_flight -= 1
        from_due.append(done_ns - due_ns)
        service.append(done_ns - sent_ns)
        statuses[status] = statuses.get(status, 0) + 1
        if status == 200:
            # "result" is the first field the server writes.
            r = body[11:40].split(b'"', 1)[0].decode()
            results[r] = results.get(r, 0) + 1

    tasks = []
    start_ns = time.perf_counter_ns() + 20_000_000
    for i in range(total):
        due_ns = start_ns + i * interval_ns
        wait = (due_ns - time.perf_counter_ns()) / 1e9
        if wait > 0:
            await asyncio.sleep(wait)
        tasks.append(asyncio.ensure_future(one(i, due_ns)))
    await asyncio.gather(*tasks)
    wall = (time.perf_counter_ns() - start_ns) / 1e9
    for c in connections:
        c.transport.close()

    from_due.sort()
    service.sort()
    lag.sort()
    us = lambda ns: f"{ns / 1000:.1f}"
    out = {
        "ol_sent": total,
        "ol_answered": len(from_due),
        "ol_errors": errors,
        "ol_non200": sum(n for s, n in statuses.items() if s != 200),
        "ol_statuses": ",".join(f"{s}:{n}" for s, n in sorted(statuses.items())),
        "ol_results": ",".join(f"{r}:{n}" for r, n in sorted(results.items())),
        "ol_rate": f"{len(from_due) / wall:.1f}",
        "ol_wall_s": f"{wall:.2f}",
        "ol_max_in_flight": max_in_flight,
        "ol_p50_us": us(percentile(from_due, 50)),
        "ol_p90_us": us(percentile(from_due, 90)),
        "ol_p99_us": us(percentile(from_due, 99)),
        "ol_p999_us": us(percentile(from_due, 99.9)),
        "ol_max_us": us(from_due[-1] if from_due else 0),
        "ol_service_p50_us": us(percentile(service, 50)),
        "ol_service_p99_us": us(percentile(service, 99)),
        "ol_lag_p50_us": us(percentile(lag, 50)),
        "ol_lag_p99_us": us(percentile(lag, 99)),
    }
    for k, v in out.items():
        print(k, v)


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", required=True)
    p.add_argument("--auth", required=True, help="API token")
    p.add_argument("--tokens", required=True, help="badge tokens, one a line")
    p.add_argument("--edition", required=True)
    p.add_argument("--rate", type=float, default=500)
    p.add_argument("--duration", type=float, default=10)
    p.add_argument("--count", type=int, default=0, help="requests in all (instead of rate x duration)")
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--phase", default="ol", help="nonce prefix")
    p.add_argument("--offset", type=int, default=0, help="first token index")
    a = p.parse_args()
    # select() wakes to the microsecond; epoll and poll round timeouts up to the millisecond,
    # which would make every request up to 1 ms late.
    loop = asyncio.SelectorEventLoop(selectors.SelectSelector())
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(main(a))
    finally:
        loop.close()
