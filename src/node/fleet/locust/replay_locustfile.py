"""A capture replayed by Locust (written by `heartbeat replay FILE --export locust`; README.md says how to
run it). items.ndjson holds the payloads in order; replay.json how to send them (timestamps, rate).

- Each user asks the master (or, run alone, the process itself) for the next few items not yet taken, so
  the users of all workers together send every item exactly once, however many workers there are; when
  every item is sent, the run ends (a headless run quits; with the web UI it stops).
- `--rewrite-timestamps now`: every timestamp becomes the send time; `shift`: all move by one offset, so the
  first payload's latest timestamp is the run's start (the master's clock), keeping the gaps. Device and
  fleet names were rewritten at export.
- `--rate R` at export: item i (from 0) is sent at start + i/R seconds, all workers together.
- Signed with SigV4 (hmac/hashlib only; AWS_* variables), the target from --host, the standard retries;
  Locust's statistics name each send by its operation and each failure by its error type.
"""
import itertools
import json
import logging
import math
import os
import sys
import time

import gevent
from gevent.event import AsyncResult
import locust.runners
from locust import constant, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.runners import MasterRunner, WorkerRunner

# Debian's python3-locust 2.12 has an empty version, and a master refuses a worker that announces an empty
# one ("An old (pre 2.0) worker tried to connect"): announce -1, the version check's documented bypass.
if not locust.runners.__version__:
    locust.runners.__version__ = -1

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import heartbeat_fleet as hbf  # noqa: E402

log = logging.getLogger("heartbeat_replay")
with open(os.path.join(HERE, "replay.json"), encoding="utf-8") as f:
    MANIFEST = json.load(f)
CHUNK = 16
SENT_HERE = [0]


def index_items(path):
    """Byte offsets of items.ndjson's lines: the file is read one line at a time, never held whole."""
    offsets = []
    with open(path, "rb") as f:
        at = 0
        for line in f:
            if line.strip():
                offsets.append(at)
            at += len(line)
    return offsets


ITEMS_PATH = os.path.join(HERE, "items.ndjson")
OFFSETS = index_items(ITEMS_PATH)


def read_item(index, handle):
    handle.seek(OFFSETS[index])
    return json.loads(handle.readline().decode("utf-8"))


def now_ms():
    return time.time() * 1000


class Ledger:
    """Which items are handed out and how many are sent (the master's, or a process run alone)."""

    def __init__(self, count):
        self.count = count
        self.reset()

    def reset(self):
        self.next = 0
        self.sent = 0
        self.start_ms = None
        self.done = False

    def lease(self):
        """The next items nobody has taken: 16 at a time, fewer near the end so the last ones are shared."""
        if self.start_ms is None:
            self.start_ms = float(math.floor(now_ms()))
        start = self.next
        self.next = min(self.count, self.next + max(1, min(CHUNK, (self.count - start) // 64)))
        return {"start": start, "end": self.next, "startMs": self.start_ms}

    def count_sent(self, n, environment):
        self.sent += n
        if self.sent >= self.count and not self.done:
            self.done = True
            log.info("heartbeat_replay: all %d items sent", self.count)
            runner = environment.runner
            headless = bool(getattr(environment.parsed_options, "headless", False))
            gevent.spawn_later(0.2, runner.quit if headless else runner.stop)


LEDGER = Ledger(len(OFFSETS))
_pending = {}
_request_ids = itertools.count()


def lease(environment):
    runner = environment.runner
    if isinstance(runner, WorkerRunner):
        request_id = next(_request_ids)
        waiter = _pending[request_id] = AsyncResult()
        runner.send_message("heartbeat_replay_lease", {"req": request_id})
        try:
            return waiter.get(timeout=120)
        finally:
            _pending.pop(request_id, None)
    return LEDGER.lease()


def report_sent(environment, n):
    runner = environment.runner
    if isinstance(runner, WorkerRunner):
        runner.send_message("heartbeat_replay_sent", {"n": n})
    else:
        LEDGER.count_sent(n, environment)


@events.init.add_listener
def on_init(environment, **_kw):
    runner = environment.runner
    if isinstance(runner, MasterRunner):

        def on_lease(environment, msg, **_kw):
            grant = LEDGER.lease()
            grant["req"] = msg.data["req"]
            environment.runner.send_message("heartbeat_replay_items", grant, client_id=msg.node_id)

        def on_sent(environment, msg, **_kw):
            LEDGER.count_sent(msg.data["n"], environment)

        runner.register_message("heartbeat_replay_lease", on_lease)
        runner.register_message("heartbeat_replay_sent", on_sent)
    if isinstance(runner, WorkerRunner):

        def on_items(environment, msg, **_kw):
            waiter = _pending.get(msg.data["req"])
            if waiter is not None:
                waiter.set(msg.data)

        runner.register_message("heartbeat_replay_items", on_items)


@events.quit.add_listener
def on_quit(**_kw):
    if not isinstance(ENV.runner, MasterRunner):
        log.info("heartbeat_replay: this process sent %d items", SENT_HERE[0])


ENV = None


@events.init.add_listener
def keep_environment(environment, **_kw):
    global ENV
    ENV = environment


@events.test_start.add_listener
def on_test_start(environment, **_kw):
    if not isinstance(environment.runner, WorkerRunner):
        LEDGER.reset()


def set_pointer(doc, pointer, value):
    parts = pointer.split("/")[1:]
    node = doc
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value


def body_of(item, start_ms):
    """The payload as sent: as captured (or renamed at export), its timestamps rewritten as replay.json says."""
    mode = MANIFEST.get("rewriteTimestamps")
    if not mode or item.get("timestamps") is None:
        return item["body"].encode("utf-8")
    doc = json.loads(item["body"], parse_int=float)
    now_seconds = now_ms() / 1000
    shift_from = MANIFEST.get("shiftFrom")
    shift = start_ms / 1000 - shift_from if shift_from is not None else 0.0
    for pointer, seconds in item["timestamps"]:
        if mode == "now":
            set_pointer(doc, pointer, hbf.js_round(now_seconds * 1000) / 1000)
        elif seconds is not None:
            set_pointer(doc, pointer, hbf.js_round((seconds + shift) * 1000) / 1000)
    return hbf.js_json(doc).encode("utf-8")


class ReplayUser(FastHttpUser):
    """Sends leased items in order, at their due times when a rate is set."""

    wait_time = constant(0)
    network_timeout = 30.0
    connection_timeout = 10.0

    def on_start(self):
        self.target = hbf.Target(self.host)
        hbf.signer_from_environment()
        self.items = open(ITEMS_PATH, "rb")

    def on_stop(self):
        self.items.close()

    @task
    def replay(self):
        rate = MANIFEST.get("rate")
        while True:
            grant = lease(self.environment)
            if grant["start"] >= grant["end"]:
                break
            for index in range(grant["start"], grant["end"]):
                if rate:
                    wait = grant["startMs"] + index * 1000.0 / rate - now_ms()
                    if wait > 0:
                        gevent.sleep(wait / 1000.0)
                item = read_item(index, self.items)
                hbf.locust_send(self, self.target, item["operation"], body_of(item, grant["startMs"]))
                SENT_HERE[0] += 1
            report_sent(self.environment, grant["end"] - grant["start"])
        while True:  # every item is taken: this user is done
            gevent.sleep(60)
