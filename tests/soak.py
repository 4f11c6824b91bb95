#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Soak Docket's sync and queue server under kills and faults.

Each mode drives the real docketctl and docket-queue over loopback, in a
folder of its own, for a bounded number of cycles, and then proves that
nothing was lost or duplicated:

  client-kill  docketctl SIGKILLed at random moments while it decides, pulls
               and syncs
  server-kill  docket-queue SIGKILLed while a sync pushes verdicts, and
               restarted
  faults       every request through a proxy that, on a share of them,
               delays, drops the connection before or halfway through the
               answer, answers 500 or 503 (some after the server did the
               work), cuts the JSON short, answers a web page, or sends an
               answer larger than the client takes

At the end the verdicts are sent without faults, and the check is: every
verdict the cache holds is on the server exactly once and the other way
round, every decide that said it succeeded is among them, no task has two
verdicts, PRAGMA integrity_check is ok on both databases, and
`docketctl verify` finds the audit trail intact. The last line is a summary
with the figures; the output is TAP for meson.

Needs DOCKET_QUEUE and DOCKETCTL (meson's test environment sets both).
"""

import argparse
import email.utils
import http.client
import json
import os
import random
import shutil
import signal
import socket
import socketserver
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

REVIEWER = "ana"


def task_line(index):
    """One valid task of the queue "fraud", as docket-queue import reads it."""
    task_id = "soak-%06d" % index
    note = "Card payment %d: three purchases in two countries within an hour." % index
    return json.dumps({
        "id": task_id,
        "title": "Card payment %d" % index,
        "created_at": "2026-11-%02dT%02d:%02d:00Z" % (1 + index // 1440 % 28,
                                                     index // 60 % 24, index % 60),
        "priority": index % 5,
        "model": {"name": "fraud-gbm", "version": "2026.11.1"},
        "output": {
            "summary": "Likely fraud",
            "confidence": 0.64,
            "fields": [{
                "name": "label", "title": "Decision", "type": "choice",
                "choices": ["fraud", "legit"], "value": "fraud", "confidence": 0.64,
                "evidence": [{"source": "note", "start": 0, "end": 12}],
            }],
        },
        "evidence": [{"id": "note", "kind": "text", "title": "Note", "text": note}],
    })


# With DOCKET_TEST_PG set (build-aux/with-postgres), the queue goes in a
# database of its own on that PostgreSQL server, dropped at the end.
PG_SERVER = os.environ.get("DOCKET_TEST_PG") or None


def psql(url, sql):
    """Runs sql with psql; returns the rows, each a list of its columns."""
    done = subprocess.run(["psql", "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                           "-d", url, "-c", sql], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError("psql: %s" % done.stderr)
    return [line.split("\t") for line in done.stdout.splitlines()]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Soak:
    """A queue server, a reviewer's docketctl and the checks at the end."""

    def __init__(self, n_tasks, seed):
        self.random = random.Random(seed)
        self.dir = tempfile.mkdtemp(prefix="docket-soak-")
        self.pg_database = None
        if PG_SERVER:
            self.pg_database = "docket_soak_" + os.urandom(8).hex()
            psql(PG_SERVER + "postgres", "CREATE DATABASE " + self.pg_database)
            self.db = PG_SERVER + self.pg_database
        else:
            self.db = os.path.join(self.dir, "queue.sqlite")
        self.port = free_port()
        self.server = None
        self.server_log = open(os.path.join(self.dir, "server.log"), "ab")
        self.env = dict(os.environ)
        for name, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "home/config"),
                          ("XDG_DATA_HOME", "home/data"), ("XDG_CACHE_HOME", "home/cache")):
            self.env[name] = os.path.join(self.dir, sub)
            os.makedirs(self.env[name], exist_ok=True)
        self.confirmed = set()  # tasks a decide said it recorded
        self.hostile = set()  # ids of the bad tasks slipped into lease replies
        self.markup = set()  # real tasks given a title full of markup
        self.kills_landed = 0
        self.cache = None

        self.queue("init", self.db)
        token = self.queue("add-account", "--role", "reviewer", self.db, REVIEWER)
        self.token_file = os.path.join(self.dir, "ana.token")
        with open(self.token_file, "w", encoding="utf-8") as out:
            out.write(token.strip().splitlines()[-1])
        tasks = os.path.join(self.dir, "tasks.jsonl")
        with open(tasks, "w", encoding="utf-8") as out:
            for i in range(n_tasks):
                out.write(task_line(i) + "\n")
        self.queue("import", self.db, "fraud", tasks)

    def close(self):
        self.stop_server(signal.SIGTERM)
        if self.pg_database:
            psql(PG_SERVER + "postgres", "DROP DATABASE %s WITH (FORCE)" % self.pg_database)
        self.server_log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def queue(self, *args):
        done = subprocess.run([os.environ["DOCKET_QUEUE"], *args], capture_output=True,
                              text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError("docket-queue %s: %s" % (args[0], done.stderr))
        return done.stdout

    def start_server(self):
        self.server = subprocess.Popen(
            [os.environ["DOCKET_QUEUE"], "serve", "--db", self.db,
             "--blobs", os.path.join(self.dir, "blobs"),
             "--listen", "127.0.0.1:%d" % self.port],
            stdout=subprocess.PIPE, stderr=self.server_log, text=True)
        line = self.server.stdout.readline()
        if " on " not in line:
            raise RuntimeError("docket-queue serve did not start: %r" % line)

    def stop_server(self, signal_number):
        if self.server is not None:
            self.server.send_signal(signal_number)
            self.server.wait()
            self.server.stdout.close()
            self.server = None

    def url(self):
        return "http://127.0.0.1:%d/" % self.port

    def ctl_start(self, *args):
        return subprocess.Popen([os.environ["DOCKETCTL"], *args], env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def ctl(self, *args, kill_after=None):
        """Runs docketctl; with @kill_after, SIGKILLs it that many seconds in.
        Returns its exit status, or None when it was killed while running."""
        process = self.ctl_start(*args)
        if kill_after is not None:
            try:
                process.wait(timeout=kill_after)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
                self.kills_landed += 1
                return None
        out, _ = process.communicate()
        self.last_out = out
        return process.returncode

    def ctl_json(self, *args):
        status = self.ctl(*args, "--json")
        return status, (json.loads(self.last_out) if self.last_out.strip() else None)

    def login(self, url):
        status, answer = self.ctl_json("login", url, "--token-file", self.token_file)
        if status != 0:
            raise RuntimeError("docketctl login failed with %s" % status)
        self.cache = answer["cache"]

    def pending(self, limit=50):
        """Tasks in the cache waiting for a decision, read beside docketctl."""
        if self.cache is None or not os.path.exists(self.cache):
            return []
        with sqlite3.connect("file:%s?mode=ro" % self.cache, uri=True, timeout=10) as db:
            rows = db.execute("SELECT id FROM tasks WHERE state = 'pending' ORDER BY id LIMIT ?",
                              (limit,)).fetchall()
        return [row[0] for row in rows]

    def decide_args(self, task):
        kind = self.random.choice(["accept", "accept", "correct", "reject"])
        if kind == "correct":
            return ["decide", task, "correct", "--set", "label=legit"]
        if kind == "reject":
            return ["decide", task, "reject", "--reason", "Receipt is for another card"]
        return ["decide", task, "accept"]

    def decide(self, task, kill_after=None):
        status = self.ctl(*self.decide_args(task), kill_after=kill_after)
        if status == 0:
            self.confirmed.add(task)
        return status

    def median_seconds(self, *args, runs=5):
        """How long an uninterrupted docketctl command takes here."""
        times = []
        for _ in range(runs):
            started = time.monotonic()
            self.ctl(*args)
            times.append(time.monotonic() - started)
        return statistics.median(times)

    def drain(self, seconds=180):
        """Syncs until no verdict waits; a backoff may make a sync skip one."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.ctl("sync")
            status, answer = self.ctl_json("status")
            if status == 0 and answer["waiting"] == 0:
                return True
            time.sleep(0.5)
        return False

    def verify(self):
        """The checks every soak ends with. Returns (figures, problems)."""
        problems = []
        with sqlite3.connect("file:%s?mode=ro" % self.cache, uri=True) as cache:
            if cache.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                problems.append("the cache fails PRAGMA integrity_check")
            cache_keys = dict(cache.execute("SELECT idempotency_key, task_id FROM verdicts"))
            not_acknowledged = cache.execute(
                "SELECT count(*) FROM outbox WHERE state != 'acknowledged'").fetchone()[0]
            quarantined = {row[0] for row in cache.execute("SELECT task_id FROM quarantine")}
            titles = dict(cache.execute("SELECT id, title FROM tasks"))
        if self.pg_database:
            server_rows = [tuple(row) for row in psql(
                self.db, "SELECT idempotency_key, task_id FROM verdicts WHERE reviewer = '%s'"
                % REVIEWER)]
        else:
            with sqlite3.connect("file:%s?mode=ro" % self.db, uri=True) as server:
                if server.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    problems.append("the queue database fails PRAGMA integrity_check")
                server_rows = server.execute(
                    "SELECT idempotency_key, task_id FROM verdicts WHERE reviewer = ?",
                    (REVIEWER,)).fetchall()
        server_keys = dict(server_rows)

        lost = set(cache_keys) - set(server_keys)
        unknown = set(server_keys) - set(cache_keys)
        unrecorded = self.confirmed - set(cache_keys.values())
        duplicated = (len(cache_keys) - len(set(cache_keys.values()))
                      + len(server_rows) - len({task for _, task in server_rows}))
        if lost or unknown or unrecorded:
            problems.append("lost: %d only in the cache, %d only on the server, %d decided "
                            "but not recorded" % (len(lost), len(unknown), len(unrecorded)))
        if duplicated:
            problems.append("duplicated: %d tasks with more than one verdict" % duplicated)
        if quarantined != self.hostile:
            problems.append("quarantined %s; the bad tasks sent were %s"
                            % (sorted(quarantined, key=str), sorted(self.hostile)))
        if any(titles.get(task) != MARKUP_TITLE for task in self.markup):
            problems.append("a task's title with markup was not kept as it was sent")
        if not_acknowledged:
            problems.append("%d verdicts not acknowledged by the server" % not_acknowledged)

        status, answer = self.ctl_json("verify")
        if status != 0 or not answer or not answer.get("intact"):
            problems.append("docketctl verify: the audit trail is not intact")

        figures = {
            "verdicts": len(cache_keys),
            "lost": len(lost) + len(unknown) + len(unrecorded),
            "duplicated": duplicated,
            "quarantined": len(quarantined),
            "integrity": "ok" if not any("integrity" in p for p in problems) else "FAILED",
            "trail": "intact" if status == 0 else "BROKEN",
        }
        return figures, problems


def soak_client_kill(soak, cycles):
    soak.start_server()
    soak.login(soak.url())
    soak.ctl("pull", "--max", "20")
    # Kills land anywhere in a command: up to a bit past its usual length.
    window = 1.3 * max(soak.median_seconds("sync"), 0.02)
    for _ in range(cycles):
        pending = soak.pending()
        action = soak.random.choice(["decide", "decide", "decide", "sync", "pull"])
        kill_after = soak.random.uniform(0, window) if soak.random.random() < 0.8 else None
        if action == "decide" and pending:
            soak.decide(soak.random.choice(pending), kill_after=kill_after)
        elif action == "pull" or not pending:
            soak.ctl("pull", "--max", "20", kill_after=kill_after)
        else:
            soak.ctl("sync", kill_after=kill_after)
    return {"cycles": cycles, "kills landed": soak.kills_landed}


def soak_server_kill(soak, cycles):
    soak.start_server()
    soak.login(soak.url())
    soak.ctl("pull", "--max", "200")
    for _ in range(3):
        for task in soak.pending(5):
            soak.decide(task)
    window = 1.3 * max(soak.median_seconds("sync"), 0.02)
    landed = 0
    for _ in range(cycles):
        for task in soak.pending(soak.random.randint(1, 8)):
            soak.decide(task)
        if not soak.pending(1):
            soak.ctl("pull", "--max", "200")
        sync = soak.ctl_start("sync")
        time.sleep(soak.random.uniform(0, window))
        if sync.poll() is None:
            landed += 1
        soak.stop_server(signal.SIGKILL)
        sync.communicate()
        soak.start_server()
    return {"cycles": cycles, "kills landed": landed}


class FaultProxy(socketserver.ThreadingTCPServer):
    """Forwards each request to the queue server, one connection per
    request, and spoils a share of the answers."""

    daemon_threads = True
    allow_reuse_address = True
    KINDS = ["delay", "drop-before", "drop-mid-body", "500", "503-after-work",
             "truncated-json", "web-page", "oversize"]

    def __init__(self, soak, upstream_port, rate, seed):
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.soak = soak
        self.serial = 0
        self.upstream_port = upstream_port
        self.rate = rate
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.injected = {kind: 0 for kind in self.KINDS}
        self.requests = 0

    def chance(self):
        with self.lock:
            return self.random.random() < self.rate

    def spoil_lease(self, data):
        """Adds a bad task to a lease reply, and gives one real task a title
        of markup; the proxy's soak then expects exactly the bad ones in
        quarantine."""
        reply = json.loads(data)
        tasks = reply.get("tasks") or []
        if not tasks:
            return data
        with self.lock:
            self.serial += 1
            kind, made = hostile_tasks(tasks[0], self.serial, self.random)
            self.injected["hostile " + kind] = self.injected.get("hostile " + kind, 0) + 1
            for task_id, task in made:
                self.soak.hostile.add(task_id)
                tasks.insert(self.random.randint(1, len(tasks)), task)
            marked = tasks[-1]
            if marked["id"] not in self.soak.hostile:
                marked["title"] = MARKUP_TITLE
                self.soak.markup.add(marked["id"])
        text = json.dumps(reply, ensure_ascii=False).encode("utf-8")
        return text.replace(INVALID_UTF8.encode(), b"\xe9")

    def pick(self):
        with self.lock:
            self.requests += 1
            if self.random.random() >= self.rate:
                return None
            kind = self.random.choice(self.KINDS)
            self.injected[kind] += 1
            return kind


class FaultHandler(socketserver.StreamRequestHandler):
    def handle(self):
        head = b""
        while not head.endswith(b"\r\n\r\n"):
            line = self.rfile.readline(65536)
            if not line:
                return
            head += line
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        body = self.rfile.read(int(headers.get("content-length", "0")))

        kind = self.server.pick()
        if kind == "drop-before":
            return
        if kind == "500":
            self.answer(500, b'{"error":{"code":"internal","message":"Injected"}}')
            return
        if kind == "delay":
            time.sleep(self.server.random.uniform(0.05, 0.5))

        upstream = http.client.HTTPConnection("127.0.0.1", self.server.upstream_port, timeout=60)
        forward = {"Authorization": headers.get("authorization", ""),
                   "Content-Type": headers.get("content-type", "application/json")}
        upstream.request(method, path, body=body if body else None, headers=forward)
        reply = upstream.getresponse()
        data = reply.read()
        content_type = reply.getheader("Content-Type", "application/json")
        status = reply.status
        upstream.close()

        if (kind is None and status == 200 and path.endswith("/leases")
                and self.server.chance()):
            data = self.server.spoil_lease(data)

        if kind == "503-after-work":
            # Retry-After in both its forms: seconds, or an HTTP date.
            retry = ("1" if self.server.random.random() < 0.5
                     else email.utils.formatdate(time.time() + 1, usegmt=True))
            self.answer(503, b'{"error":{"code":"unavailable","message":"Injected"}}',
                        extra="Retry-After: %s\r\n" % retry)
        elif kind == "drop-mid-body":
            self.answer(status, data, content_type=content_type, cut=len(data) // 2)
        elif kind == "truncated-json":
            self.answer(status, data[: len(data) // 2], content_type=content_type)
        elif kind == "web-page":
            self.answer(200, b"<html><body>Sign in to the hotel Wi-Fi</body></html>",
                        content_type="text/html")
        elif kind == "oversize":
            self.oversize(content_type)
        else:
            self.answer(status, data, content_type=content_type)

    def answer(self, status, data, content_type="application/json", extra="", cut=None):
        head = ("HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %d\r\n%s"
                "Connection: close\r\n\r\n" % (status, content_type, len(data), extra))
        try:
            self.wfile.write(head.encode("latin-1") + (data if cut is None else data[:cut]))
        except OSError:
            pass

    def oversize(self, content_type):
        """An answer of 300 MiB, more than any reply the client takes: it
        must stop reading and give up, not fill its memory."""
        size = 300 * 1024 * 1024
        chunk = b" " * (1024 * 1024)
        try:
            self.wfile.write(("HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
                              "Connection: close\r\n\r\n" % (content_type, size)).encode())
            for _ in range(size // len(chunk)):
                self.wfile.write(chunk)
        except OSError:
            pass


MARKUP_TITLE = "<b>Card</b> &amp; <i>payment</i> <span foreground='red'>"
INVALID_UTF8 = "@INVALID-UTF-8@"


def hostile_tasks(real, serial, rng):
    """Bad tasks made from a real one of a lease reply, each under an id of
    its own (or the real one's, for the repeated id), with a lease that is
    not the server's. Returns [(id or None, task)]."""
    made = []

    def bad(kind):
        task = json.loads(json.dumps(real))
        task["id"] = "hostile-%d-%s" % (serial, kind)
        task["lease"] = {"token": "hostile-lease-%d-%s" % (serial, kind),
                         "expires_at": real["lease"]["expires_at"]}
        made.append((task["id"], task))
        return task

    kind = rng.choice(["deep", "not-utf-8", "huge", "span", "repeated"])
    if kind == "deep":
        nested = []
        bad(kind)["evidence"].append({"id": "deep", "kind": "record", "title": "Deep",
                                      "record": {"x": nested}})
        for _ in range(70):
            inner = []
            nested.append(inner)
            nested = inner
    elif kind == "not-utf-8":
        bad(kind)["title"] = "Caf" + INVALID_UTF8 + " payment"
    elif kind == "huge":
        bad(kind)["evidence"][0]["text"] = "x" * (9 * 1024 * 1024)
    elif kind == "span":
        bad(kind)["output"]["fields"][0]["evidence"] = [
            {"source": "note", "start": 10, "end": 1000000}]
    else:
        again = json.loads(json.dumps(real))
        again["lease"] = {"token": "hostile-lease-%d-again" % serial,
                          "expires_at": real["lease"]["expires_at"]}
        made.append((real["id"], again))
    return kind, made


def soak_faults(soak, verdicts, rate):
    soak.start_server()
    proxy = FaultProxy(soak, soak.port, rate, soak.random.random())
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        soak.login("http://127.0.0.1:%d/" % proxy.server_address[1])
    except RuntimeError:
        proxy.rate, rate = 0, proxy.rate
        soak.login("http://127.0.0.1:%d/" % proxy.server_address[1])
        proxy.rate = rate
    # A few decisions between syncs, as a reviewer's app syncs as it goes.
    rounds = 0
    while len(soak.confirmed) < verdicts and rounds < 4 * verdicts:
        rounds += 1
        pending = soak.pending(10)
        if len(pending) < 10:
            soak.ctl("pull", "--max", "30")
        for task in pending[:soak.random.randint(1, 8)]:
            if len(soak.confirmed) >= verdicts:
                break
            soak.decide(task)
        soak.ctl("sync")
    proxy.rate = 0
    figures = {"requests": proxy.requests, "faults injected": sum(proxy.injected.values())}
    figures.update({"faults " + kind: n for kind, n in proxy.injected.items()})
    soak.drain()
    proxy.shutdown()
    proxy.server_close()
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["client-kill", "server-kill", "faults"])
    parser.add_argument("--cycles", type=int, default=100)
    parser.add_argument("--verdicts", type=int, default=200)
    parser.add_argument("--rate", type=float, default=0.3)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)

    n_tasks = args.verdicts + 200 if args.mode == "faults" else args.cycles * 6 + 200
    print("1..1")
    print("# %s, seed %d" % (args.mode, seed))
    sys.stdout.flush()
    soak = Soak(n_tasks, seed)
    started = time.monotonic()
    try:
        if args.mode == "client-kill":
            figures = soak_client_kill(soak, args.cycles)
        elif args.mode == "server-kill":
            figures = soak_server_kill(soak, args.cycles)
        else:
            figures = soak_faults(soak, args.verdicts, args.rate)
        if not soak.drain():
            problems = ["verdicts still waiting after three minutes of syncing"]
        else:
            problems = []
        checked, found = soak.verify()
        figures.update(checked)
        problems += found
    finally:
        soak.close()

    figures["seconds"] = round(time.monotonic() - started, 1)
    summary = ", ".join("%s %s" % (name, value) for name, value in figures.items())
    for problem in problems:
        print("# " + problem)
    print("%s 1 - %s: %s" % ("not ok" if problems else "ok", args.mode, summary))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
