#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Load docket-queue with many reviewers at once, and check nothing broke.

Starts SERVERS docket-queue processes on one queue database (SQLite: one
process; a postgresql:// URL: several), REVIEWERS simulated reviewers
spread over them, each leasing a few tasks, renewing the leases every third
round, accepting the tasks and sending the verdicts, in a loop for SECONDS,
over loopback. Then it reports leases and
verdicts per second and the p50 and p99 latency of each route, and checks:

  double leases  no task was granted to two leases, as the reviewers saw
                 them and in the server's own record of leases (no lease is
                 released or runs out during the run, so any second grant
                 would be one while the first was live)
  lost           every verdict the server said it created is in the
                 producer's feed
  duplicated     no verdict appears twice in the feed, and no task has two

The output is TAP; the last line has the figures. Needs DOCKET_QUEUE.
With DOCKET_TEST_PG, a PostgreSQL server URL ending in "/"
(build-aux/with-postgres sets it), the queue goes in a database of its own
there, dropped at the end; without it, on SQLite, which takes one server
whatever --servers says.
"""

import argparse
import http.client
import json
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from soak import free_port, psql, task_line  # noqa: E402


def queue(*args):
    done = subprocess.run([os.environ["DOCKET_QUEUE"], *args], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError("docket-queue %s: %s" % (args[0], done.stderr))
    return done.stdout


class Reviewer(threading.Thread):
    def __init__(self, port, token, deadline, record):
        super().__init__(daemon=True)
        self.port = port
        self.token = token
        self.deadline = deadline
        self.record = record
        self.error = None

    def call(self, connection, method, path, body):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": "Bearer " + self.token}
        if data is not None:
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        connection.request(method, path, body=data, headers=headers)
        reply = connection.getresponse()
        answer = reply.read()
        self.record.latency(method + " " + path.split("?")[0], time.perf_counter() - started)
        if reply.status != 200:
            raise RuntimeError("%s %s answered %d: %s" % (method, path, reply.status, answer[:200]))
        return json.loads(answer)

    def run(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        rounds = 0
        try:
            while time.monotonic() < self.deadline:
                leased = self.call(connection, "POST", "/v1/queues/fraud/leases",
                                   {"max": 5, "lease_seconds": 3600})["tasks"]
                if not leased:
                    break
                # Every few rounds the leases held are renewed, as the app's
                # sync does for a reviewer who takes a while.
                rounds += 1
                if rounds % 3 == 0:
                    renewal = self.call(connection, "POST", "/v1/leases/renew",
                                        {"tokens": [t["lease"]["token"] for t in leased],
                                         "lease_seconds": 3600})
                    if renewal["lost"]:
                        raise RuntimeError("leases lost on renewal: %s" % renewal["lost"])
                verdicts = []
                for task in leased:
                    self.record.leased(task["id"], task["lease"]["token"])
                    verdicts.append({"task_id": task["id"], "lease_token": task["lease"]["token"],
                                     "idempotency_key": str(uuid.uuid4()), "decision": "accept",
                                     "time_spent_ms": 1200,
                                     "decided_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
                results = self.call(connection, "POST", "/v1/verdicts",
                                    {"verdicts": verdicts})["results"]
                self.record.sent(verdicts, results)
        except Exception as error:  # a reviewer that fails is a failure of the run
            self.error = error
        finally:
            connection.close()


class Record:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = {}
        self.grants = {}  # task id -> lease tokens
        self.created = {}  # idempotency key -> task id
        self.not_created = 0

    def latency(self, route, seconds):
        with self.lock:
            self.latencies.setdefault(route, []).append(seconds)

    def leased(self, task, token):
        with self.lock:
            self.grants.setdefault(task, []).append(token)

    def sent(self, verdicts, results):
        with self.lock:
            for verdict, result in zip(verdicts, results):
                if result.get("result") == "created":
                    self.created[verdict["idempotency_key"]] = verdict["task_id"]
                else:
                    self.not_created += 1


def read_feed(port, token):
    """Every verdict in the producer's feed, in order."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    entries, after = [], 0
    while True:
        connection.request("GET", "/v1/verdicts?after=%d&limit=500" % after,
                           headers={"Authorization": "Bearer " + token})
        page = json.loads(connection.getresponse().read())
        entries += page["verdicts"]
        if not page["verdicts"]:
            return entries
        after = page["next"]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--servers", type=int, default=1)
    parser.add_argument("--reviewers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--tasks", type=int, default=20000)
    parser.add_argument("--db", help="a postgresql:// URL; a SQLite file in a temporary folder if not given")
    args = parser.parse_args()

    pg_server = os.environ.get("DOCKET_TEST_PG")
    pg_database = None
    if args.servers > 1 and not args.db and not pg_server:
        # SQLite takes one server; the TAP line says how many ran.
        args.servers = 1
    folder = tempfile.mkdtemp(prefix="docket-load-")
    db = args.db or os.path.join(folder, "queue.sqlite")
    if not args.db and pg_server:
        pg_database = "docket_load_%s" % uuid.uuid4().hex[:12]
        psql(pg_server + "postgres", "CREATE DATABASE " + pg_database)
        db = pg_server + pg_database
    servers = []
    print("1..1")
    try:
        queue("init", db)
        producer = queue("add-account", "--role", "producer", db, "pipe").strip().splitlines()[-1]
        tokens = [queue("add-account", "--role", "reviewer", db, "r%03d" % i).strip().splitlines()[-1]
                  for i in range(args.reviewers)]
        tasks = os.path.join(folder, "tasks.jsonl")
        with open(tasks, "w", encoding="utf-8") as out:
            for i in range(args.tasks):
                out.write(task_line(i) + "\n")
        queue("import", db, "fraud", tasks)

        ports = []
        for _ in range(args.servers):
            port = free_port()
            log = open(os.path.join(folder, "server-%d.log" % port), "wb")
            servers.append(subprocess.Popen(
                [os.environ["DOCKET_QUEUE"], "serve", "--db", db, "--listen",
                 "127.0.0.1:%d" % port, "--blobs", os.path.join(folder, "blobs")],
                stdout=subprocess.PIPE, stderr=log, text=True))
            servers[-1].stdout.readline()
            ports.append(port)

        record = Record()
        deadline = time.monotonic() + args.seconds
        started = time.monotonic()
        reviewers = [Reviewer(ports[i % len(ports)], token, deadline, record)
                     for i, token in enumerate(tokens)]
        for reviewer in reviewers:
            reviewer.start()
        for reviewer in reviewers:
            reviewer.join()
        elapsed = time.monotonic() - started

        # The server's own record: every lease it granted, which in this
        # run is never released and never runs out.
        sql = "SELECT count(*) FROM (SELECT task_id FROM leases GROUP BY task_id HAVING count(*) > 1) AS twice"
        if "://" in db:
            server_double = int(psql(db, sql)[0][0])
        else:
            with sqlite3.connect("file:%s?mode=ro" % db, uri=True) as queue_db:
                server_double = queue_db.execute(sql).fetchone()[0]

        feed = read_feed(ports[0], producer)
        feed_keys = [entry["verdict"]["idempotency_key"] for entry in feed]
        double = sum(1 for tokens in record.grants.values() if len(tokens) > 1)
        lost = len(set(record.created) - set(feed_keys))
        duplicated = (len(feed_keys) - len(set(feed_keys))
                      + len(feed) - len({entry["verdict"]["task_id"] for entry in feed}))
        failures = [str(r.error) for r in reviewers if r.error is not None]

        n_leases = sum(len(tokens) for tokens in record.grants.values())
        figures = [
            "%d server%s on %s, %d reviewers, %.0f s" % (
                args.servers, "s" if args.servers > 1 else "",
                "PostgreSQL" if "://" in db else "SQLite", args.reviewers, elapsed),
            "%.0f leases/s" % (n_leases / elapsed),
            "%.0f verdicts/s" % (len(record.created) / elapsed),
        ]
        for route, values in sorted(record.latencies.items()):
            figures.append("%s p50 %.1f ms p99 %.1f ms" % (route, 1000 * statistics.median(values),
                                                           1000 * percentile(values, 0.99)))
        figures += ["double leases %d (server's record %d)" % (double, server_double),
                    "lost %d" % lost, "duplicated %d" % duplicated,
                    "feed %d of %d" % (len(set(feed_keys) & set(record.created)),
                                       len(record.created))]
        problems = failures[:3]
        if double or lost or duplicated or record.not_created:
            problems.append("%d verdicts not created" % record.not_created)
        for problem in problems:
            print("# " + problem)
        ok = not (double or server_double or lost or duplicated or failures or record.not_created)
        print("%s 1 - load: %s" % ("ok" if ok else "not ok", ", ".join(figures)))
        return 0 if ok else 1
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait()
            server.stdout.close()
        if pg_database is not None:
            psql(pg_server + "postgres", "DROP DATABASE %s WITH (FORCE)" % pg_database)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
