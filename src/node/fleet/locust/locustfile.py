"""A Heartbeat Composer fleet scenario as a Locust test (written by `heartbeat fleet export SCENARIO --to
locust`; README.md says how to run it). One Locust user is one simulated device: it lives the device's
life of heartbeat_fleet.py (the simulator's own state machine, values and times) in real time, sleeping
until its next request is due, and signs every request with SigV4 (hmac/hashlib only).

- Target: Locust's --host (http://127.0.0.1:8787 for `heartbeat serve`); credentials from AWS_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN), region from AWS_REGION or AWS_DEFAULT_REGION (us-east-1).
- Devices: the master (or, run alone, the process itself) hands each user the lowest device number not
  taken, so the users of all workers together are the scenario's devices, each exactly once, however
  many workers there are and however Locust spreads the users over them: run -u with the scenario's
  device count (locust.conf says it). A user beyond the count idles.
- The run's start, which the devices' schedules count from, is the master's clock at the first device
  handed out (HEARTBEAT_START_TIME, epoch seconds or ISO 8601, pins it).
- Locust's statistics: one request per send, named by its operation, its time the whole send with the
  standard retries (3 attempts, full-jitter backoff, Retry-After); a failure is named by its error type.
- With --csv PREFIX, the master also writes PREFIX_heartbeat_fleet.json (schedule lag, devices, deployments,
  retried attempts) for `heartbeat fleet report --from-locust PREFIX`.
"""
import gc
import heapq
import itertools
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
from locust.runners import STATE_RUNNING, STATE_SPAWNING, MasterRunner, WorkerRunner

# Debian's python3-locust 2.12 has an empty version, and a master refuses a worker that announces an empty
# one ("An old (pre 2.0) worker tried to connect"): announce -1, the version check's documented bypass.
if not locust.runners.__version__:
    locust.runners.__version__ = -1

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import heartbeat_fleet as hbf  # noqa: E402

log = logging.getLogger("heartbeat_fleet")
SCENARIO = hbf.load_scenario()
DEVICES = hbf.devices_of(SCENARIO)
OPERATIONS = ("GetDeviceRegistration", "SendHeartbeat", "GetDeployments")


def now_ms():
    return time.time() * 1000


# ---------------------------------------------------------------------------------------------------
# Handing out devices: the master (or a process run alone) owns the numbers


class Allocator:
    def __init__(self, count):
        self.count = count
        self.generation = 0
        self.reset()

    def reset(self):
        self.generation += 1
        self.free = []
        self.next = 0
        self.start_ms = None

    def claim(self):
        if self.start_ms is None:
            pinned = os.environ.get("HEARTBEAT_START_TIME")
            self.start_ms = hbf.parse_start_time(pinned) if pinned else float(math.floor(now_ms()))
            if self.start_ms is None:
                raise ValueError("HEARTBEAT_START_TIME must be epoch seconds or ISO 8601, not %r" % pinned)
        if self.free:
            index = heapq.heappop(self.free)
        elif self.next < self.count:
            index = self.next
            self.next += 1
        else:
            index = None
        return {"index": index, "startMs": self.start_ms, "generation": self.generation}

    def release(self, index, generation):
        if index is not None and generation == self.generation:
            heapq.heappush(self.free, index)


ALLOCATOR = Allocator(len(DEVICES))
_pending = {}
_request_ids = itertools.count()


def claim_device(environment):
    runner = environment.runner
    if isinstance(runner, WorkerRunner):
        request_id = next(_request_ids)
        waiter = _pending[request_id] = AsyncResult()
        runner.send_message("heartbeat_fleet_claim", {"req": request_id})
        try:
            return waiter.get(timeout=120)
        finally:
            _pending.pop(request_id, None)
    return ALLOCATOR.claim()


def release_device(environment, grant):
    """A user stopped while the test goes on (fewer users asked for) gives its device back; when the test
    stops, nothing is sent (the master may be gone, and a new test hands the devices out afresh)."""
    runner = environment.runner
    if runner is None or runner.state not in (STATE_RUNNING, STATE_SPAWNING):
        return
    if isinstance(runner, WorkerRunner):
        runner.send_message("heartbeat_fleet_release", {"index": grant["index"], "generation": grant["generation"]})
    else:
        ALLOCATOR.release(grant["index"], grant["generation"])


# ---------------------------------------------------------------------------------------------------
# What Locust's statistics do not hold: schedule lag, the devices' states, deployments, retried attempts


def lag_bucket(ms):
    """Two significant digits, as the built-in run's histograms keep them."""
    if ms < 100:
        return int(round(ms))
    scale = 10 ** (len(str(int(ms))) - 2)
    return int(round(ms / scale) * scale)


class FleetStats:
    def __init__(self):
        self.reset()

    def reset(self):
        self.lag = {}
        # Requests due from two intervals after this process spawned its users until the test stops: the
        # steady run, without the ramp-up (users starting) and the stop (users being killed).
        self.steady_lag = {}
        self.spawned_ms = None
        self.stopping = False
        self.deployments = {"applied": 0, "succeeded": 0, "failed": 0}
        self.refused = {}
        self.devices = {}  # device index -> Device, of this process's users (kept after they stop, for the last report)
        self.remote = {}  # master: worker id -> its latest device states
        self.started = None

    def record_lag(self, ms, due_ms):
        b = lag_bucket(max(0.0, ms))
        self.lag[b] = self.lag.get(b, 0) + 1
        if self.spawned_ms is not None and due_ms >= self.spawned_ms + STEADY_AFTER_MS and not self.stopping:
            self.steady_lag[b] = self.steady_lag.get(b, 0) + 1

    def merge(self, part):
        for k, v in part["lag"].items():
            self.lag[int(k)] = self.lag.get(int(k), 0) + v
        for k, v in part.get("steadyLag", {}).items():
            self.steady_lag[int(k)] = self.steady_lag.get(int(k), 0) + v
        for k, v in part["deployments"].items():
            self.deployments[k] += v
        for k, v in part["refused"].items():
            self.refused[k] = self.refused.get(k, 0) + v

    def take_delta(self):
        part = {"lag": self.lag, "steadyLag": self.steady_lag, "deployments": self.deployments, "refused": self.refused, "states": self.states()}
        self.lag = {}
        self.steady_lag = {}
        self.deployments = {"applied": 0, "succeeded": 0, "failed": 0}
        self.refused = {}
        return part

    def states(self):
        at = now_ms()
        out = {"devices": 0, "registered": 0, "unregistered": 0, "offline": 0, "deploying": 0, "unregisteredDevices": []}
        for index, (device, start_ms) in self.devices.items():
            out["devices"] += 1
            status = device.status(at - start_ms)
            if status == "unregistered":
                out["unregistered"] += 1
                out["unregisteredDevices"].append(device.name)
            elif status not in ("starting", "registering"):
                out["registered"] += 1
                if status == "offline":
                    out["offline"] += 1
                elif status == "deploying":
                    out["deploying"] += 1
        return out


STATS = FleetStats()
STEADY_AFTER_MS = 2 * max(f["intervalMs"] for f in SCENARIO["fleets"])


def percentile(hist, p):
    total = sum(hist.values())
    if total == 0:
        return None
    rank = max(1, int(math.ceil(total * p / 100.0)))
    seen = 0
    for k in sorted(hist):
        seen += hist[k]
        if seen >= rank:
            return k
    return max(hist)


def write_final_csv(environment, prefix):
    """Locust 2.12 writes its --csv files once a second, flushes them every 10 s and neither at the end:
    the history's last rows are flushed, and the final statistics written again."""
    try:
        import csv

        from locust.stats import PERCENTILES_TO_REPORT, StatsCSV, StatsCSVFileWriter

        if hasattr(gc, "unfreeze"):
            gc.unfreeze()  # frozen objects are not listed (the run is over: collections may scan them again)
        for writer in [o for o in gc.get_objects() if isinstance(o, StatsCSVFileWriter)]:
            if not writer.stats_history_csv_filehandle.closed:
                writer._stats_history_data_rows(writer.stats_history_csv_writer, time.time())
                writer.stats_history_flush()
        writer = StatsCSV(environment, PERCENTILES_TO_REPORT)
        with open(prefix + "_stats.csv", "w", newline="") as f:
            writer.requests_csv(csv.writer(f))
        with open(prefix + "_failures.csv", "w", newline="") as f:
            writer.failures_csv(csv.writer(f))
    except Exception as error:  # a newer Locust writes them itself
        log.debug("final --csv statistics not rewritten: %s", error)


def on_quit(environment):
    """With --csv PREFIX (master, or a process run alone): the final statistics and PREFIX_heartbeat_fleet.json."""
    numbers = sorted(index + 1 for index in STATS.devices)
    if not isinstance(environment.runner, MasterRunner):
        log.info("heartbeat_fleet: this process ran %d devices: %s", len(numbers), ",".join(map(str, numbers)))
    options = environment.parsed_options
    prefix = getattr(options, "csv_prefix", None) if options else None
    if not prefix or isinstance(environment.runner, WorkerRunner):
        return
    write_final_csv(environment, prefix)
    parts = list(STATS.remote.values()) if isinstance(environment.runner, MasterRunner) else [STATS.states()]
    devices = {"devices": 0, "registered": 0, "unregistered": 0, "offline": 0, "deploying": 0}
    unregistered = []
    for p in parts:
        for k in devices:
            devices[k] += p[k]
        unregistered.extend(p["unregisteredDevices"])
    summary = {
        "scenario": SCENARIO["name"],
        "seed": SCENARIO["seed"],
        "scenarioDevices": len(DEVICES),
        "target": environment.host or "",
        "startedAt": STATS.started,
        "startMs": ALLOCATOR.start_ms,
        "endedAt": float(math.floor(now_ms())),
        **devices,
        "unregisteredDevices": sorted(unregistered),
        "deployments": STATS.deployments,
        "refusedAttempts": STATS.refused,
        "lag": {
            "p50Ms": percentile(STATS.lag, 50),
            "p99Ms": percentile(STATS.lag, 99),
            "maxMs": max(STATS.lag) if STATS.lag else None,
        },
        # The same of the steady run: requests due from two intervals after each process spawned its users until the stop.
        "lagAfterSpawn": {
            "p50Ms": percentile(STATS.steady_lag, 50),
            "p99Ms": percentile(STATS.steady_lag, 99),
            "maxMs": max(STATS.steady_lag) if STATS.steady_lag else None,
        },
    }
    with open(prefix + "_heartbeat_fleet.json", "w", encoding="utf-8") as f:
        f.write(hbf.js_json(summary) + "\n")


ENV = None


@events.init.add_listener
def on_init(environment, **_kw):
    global ENV
    ENV = environment
    runner = environment.runner

    if isinstance(runner, MasterRunner):

        def on_claim(environment, msg, **_kw):
            grant = ALLOCATOR.claim()
            grant["req"] = msg.data["req"]
            environment.runner.send_message("heartbeat_fleet_device", grant, client_id=msg.node_id)

        def on_release(environment, msg, **_kw):
            ALLOCATOR.release(msg.data["index"], msg.data["generation"])

        runner.register_message("heartbeat_fleet_claim", on_claim)
        runner.register_message("heartbeat_fleet_release", on_release)

        @events.worker_report.add_listener
        def on_worker_report(client_id, data, **_kw):
            part = data.get("heartbeat_fleet")
            if part:
                STATS.merge(part)
                STATS.remote[client_id] = part["states"]

    if isinstance(runner, WorkerRunner):

        def on_device(environment, msg, **_kw):
            waiter = _pending.get(msg.data["req"])
            if waiter is not None:
                waiter.set(msg.data)

        runner.register_message("heartbeat_fleet_device", on_device)

        @events.report_to_master.add_listener
        def on_report(client_id, data, **_kw):
            data["heartbeat_fleet"] = STATS.take_delta()

    quit_event = getattr(events, "quit", None)
    if quit_event is not None:
        quit_event.add_listener(lambda **_kw: on_quit(environment))
    else:
        events.quitting.add_listener(lambda **_kw: on_quit(environment))


@events.test_start.add_listener
def on_test_start(environment, **_kw):
    if not isinstance(environment.runner, WorkerRunner):
        ALLOCATOR.reset()
    STATS.reset()
    STATS.started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def settle_memory():
    """Python's full collections scan every object: with thousands of devices (users, connections,
    generators) each took up to a second here, and every device's schedule waited. What lives as long as
    the run is frozen (gc.freeze: never scanned again) once the users are spawned and again once every
    device has made its first requests; each request's short-lived cycles (Locust's response objects)
    are still collected, among the young objects."""
    if hasattr(gc, "freeze"):
        gc.freeze()


@events.test_stopping.add_listener
def on_stopping(**_kw):
    STATS.stopping = True


@events.spawning_complete.add_listener
def on_spawned(user_count, **_kw):
    if STATS.spawned_ms is None:
        STATS.spawned_ms = now_ms()
        if not isinstance(getattr(ENV, "runner", None), MasterRunner):
            settle_memory()
            gevent.spawn_later(max(f["intervalMs"] for f in SCENARIO["fleets"]) / 1000.0 + 1, settle_memory)
    if user_count != len(DEVICES) and not isinstance(getattr(ENV, "runner", None), WorkerRunner):
        log.warning(
            "%d users for the scenario's %d devices: %s", user_count, len(DEVICES),
            "%d devices are not run" % (len(DEVICES) - user_count) if user_count < len(DEVICES) else "%d users idle" % (user_count - len(DEVICES)),
        )


# ---------------------------------------------------------------------------------------------------
# The device


class FleetDevice(FastHttpUser):
    """One simulated device per user."""

    wait_time = constant(0)
    # A device waits for its answer before its next request, as the built-in run's devices do.
    network_timeout = 30.0
    connection_timeout = 10.0

    def on_start(self):
        self.grant = None
        self.target = hbf.Target(self.host)
        hbf.signer_from_environment()
        self.grant = claim_device(self.environment)

    def on_stop(self):
        if self.grant is not None and self.grant["index"] is not None:
            release_device(self.environment, self.grant)
            self.grant = None

    @task
    def live(self):
        grant = self.grant
        if grant is None or grant["index"] is None:
            gevent.sleep(60)
            return
        f, fleet, n = DEVICES[grant["index"]]
        start_ms = grant["startMs"]
        device = hbf.Device(SCENARIO, fleet, n, start_ms, live=True)
        STATS.devices[grant["index"]] = (device, start_ms)
        while True:
            due = device.due_ms
            if due == hbf.INF:  # cannot happen: a device waits for its answer here
                gevent.sleep(1)
                continue
            wait = start_ms + due - now_ms()
            if wait > 0:
                gevent.sleep(wait / 1000.0)
            before = device.last_deployment
            request = device.take()
            if device.last_deployment is not before and device.last_deployment:
                STATS.deployments["succeeded" if device.last_deployment["status"] == "SUCCESS" else "failed"] += 1
            STATS.record_lag(now_ms() - (start_ms + request.offset_ms), start_ms + request.offset_ms)
            ok, text = self.send(request.operation, request.body)
            applying = device.applying
            device.answer(request, hbf.parse_answer(request.operation, ok, text), now_ms() - start_ms)
            if device.applying is not None and device.applying is not applying:
                STATS.deployments["applied"] += 1

    def send(self, operation, body):
        return hbf.locust_send(self, self.target, operation, hbf.js_json(body).encode("utf-8"), STATS.refused)
