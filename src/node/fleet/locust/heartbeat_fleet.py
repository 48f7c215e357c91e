#!/usr/bin/env python3
"""A Heartbeat Composer fleet scenario in Python: the simulator's specified randomness, its value
generators, the device's life (a port of src/common/fleet/device.ts, SimulatedDevice), the dry run, a
SigV4 signer on hmac/hashlib only and the AWS SDK's standard retry strategy. Written by
`heartbeat fleet export SCENARIO --to locust` with the scenario embedded below; locustfile.py drives
one device per Locust user with it.

    python3 heartbeat_fleet.py --dry-run --duration 10s --start-time 2026-11-30T12:00:00Z

prints exactly the lines of `heartbeat fleet run SCENARIO --dry-run --output ndjson` with the same
options: the same requests in the same order, the same bodies byte for byte (numbers as JavaScript's
JSON.stringify writes them). Python 3.7+ and the standard library only.

Numbers follow JavaScript: every value is an IEEE double (the scenario's integers are read as floats),
Math.round / Math.floor / Math.max are written out where Python's differ (ties, -0), and js_number()
formats a number as JSON.stringify does. log, cos, sin and ** come from the platform's libm, which may
differ from V8's in the last bit; values are rounded to their precision, so a difference shows only for
a value within one unit in the last place of a rounding boundary (docs/fleet.md#randomness-specified).
"""
import datetime
import hashlib
import heapq
import hmac
import json
import math
import random
import re
import sys
from decimal import Decimal
from urllib.parse import quote, unquote

INF = math.inf

# ---------------------------------------------------------------------------------------------------
# JavaScript's numbers and JSON


def js_number(x):
    """A number as JavaScript's JSON.stringify writes it: 1.0 -> 1, 1e21 -> 1e+21, 1e-7 -> 1e-7,
    -0 -> 0, NaN and the infinities -> null."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int):
        x = float(x)
    if x != x or x == INF or x == -INF:
        return "null"
    if x == 0:
        return "0"
    # repr() is the shortest text that reads back as the same double, as JavaScript's Number::toString.
    sign, digit_tuple, exponent = Decimal(repr(x)).as_tuple()
    digits = "".join(map(str, digit_tuple)).lstrip("0")
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    s = stripped
    k = len(s)
    n = exponent + k  # x = 0.s * 10^n
    if k <= n <= 21:
        text = s + "0" * (n - k)
    elif 0 < n <= 21:
        text = s[:n] + "." + s[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + s
    else:
        e = n - 1
        mantissa = s if k == 1 else s[0] + "." + s[1:]
        text = mantissa + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return "-" + text if sign else text


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f\ud800-\udfff]')


def _escape(match):
    ch = match.group(0)
    return _ESCAPES.get(ch) or "\\u%04x" % ord(ch)


def js_string(text):
    """A string as JSON.stringify writes it (well-formed: lone surrogates escaped, the rest as is)."""
    return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'


def js_json(value):
    """JSON.stringify(value): no spaces, keys in insertion order, numbers and strings as JavaScript writes them."""
    if isinstance(value, str):
        return js_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return js_number(value)
    if isinstance(value, dict):
        return "{" + ",".join(js_string(k) + ":" + js_json(v) for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(js_json(v) for v in value) + "]"
    raise TypeError("not JSON: %r" % (value,))


def js_text(value):
    """String(value) of a number or a string."""
    return value if isinstance(value, str) else js_number(value)


def js_floor(x):
    """Math.floor: a float, infinities kept."""
    return float(math.floor(x)) if math.isfinite(x) else x


def js_round(x):
    """Math.round: the nearest integer, ties towards +infinity (-0 for -0.5 <= x < 0)."""
    if not math.isfinite(x):
        return x
    r = math.floor(x)
    out = float(r + 1) if x - r >= 0.5 else float(r)
    return -0.0 if out == 0 and (x < 0 or (x == 0 and math.copysign(1, x) < 0)) else out


def js_max(a, b):
    """Math.max of two numbers (NaN wins; +0 over -0)."""
    if a != a or b != b:
        return math.nan
    if a == b:
        return b if math.copysign(1, a) < 0 else a
    return a if a > b else b


def js_min(a, b):
    """Math.min of two numbers (NaN wins; -0 over +0)."""
    if a != a or b != b:
        return math.nan
    if a == b:
        return a if math.copysign(1, a) < 0 else b
    return a if a < b else b


_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def js_trim(text):
    return text.strip(_JS_SPACE)


# ---------------------------------------------------------------------------------------------------
# The specified randomness (src/common/fleet/prng.ts): FNV-1a stream seeds, mulberry32, 32-bit only

M32 = 0xFFFFFFFF


def fnv1a32(text):
    h = 0x811C9DC5
    for b in text.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & M32
    return h


def stream_seed(seed, *parts):
    return fnv1a32("\x00".join([js_text(seed)] + [js_text(p) for p in parts]))


class Prng:
    __slots__ = ("state",)

    def __init__(self, seed):
        self.state = int(seed) & M32

    def next(self):
        self.state = (self.state + 0x6D2B79F5) & M32
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & M32
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & M32)) & M32
        return (t ^ (t >> 14)) & M32

    def float(self):
        return self.next() / 4294967296.0


# ---------------------------------------------------------------------------------------------------
# Value generators (src/common/fleet/generators.ts)


def round_to(value, precision):
    """floor(v * 10^p + 0.5) / 10^p in doubles."""
    f = 10.0 ** precision
    return js_floor(value * f + 0.5) / f


def _clamp(v, lo, hi):
    return js_min(INF if hi is None else hi, js_max(-INF if lo is None else lo, v))


def raw_generator(spec, prng):
    if "constant" in spec:
        c = spec["constant"]
        return lambda t: c
    if "uniform" in spec:
        lo, hi = spec["uniform"]["min"], spec["uniform"]["max"]
        return lambda t: lo + (hi - lo) * prng.float()
    if "normal" in spec:
        a = spec["normal"]
        mean, sd, lo, hi = a["mean"], a["sd"], a.get("min"), a.get("max")

        def normal(t):
            # Box-Muller; 1 - float() is in (0, 1], so the logarithm is finite.
            u1 = 1 - prng.float()
            u2 = prng.float()
            return _clamp(mean + sd * math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2), lo, hi)

        return normal
    if "randomWalk" in spec:
        a = spec["randomWalk"]
        start, step, lo, hi = a["start"], a["step"], a["min"], a["max"]
        state = {"value": _clamp(start, lo, hi), "first": True}

        def walk(t):
            if state["first"]:
                state["first"] = False
            else:
                state["value"] = _clamp(state["value"] + (2 * prng.float() - 1) * step, lo, hi)
            return state["value"]

        return walk
    if "sine" in spec:
        a = spec["sine"]
        mean, amplitude, period, noise = a["mean"], a["amplitude"], a["period"], a.get("noise")

        def sine(t):
            wave = mean + amplitude * math.sin((2 * math.pi * t) / period)
            return wave + ((2 * prng.float() - 1) * noise if noise else 0.0)

        return sine
    if "counter" in spec:
        start, rate = spec["counter"]["start"], spec["counter"]["rate"]
        return lambda t: start + rate * js_max(0.0, t)
    if "sequence" in spec or "csv" in spec:
        values = spec["sequence"] if "sequence" in spec else (spec["csv"].get("values") or [])
        index = [0]

        def cycle(t):
            if not values:
                return 0.0
            v = values[index[0] % len(values)]
            index[0] += 1
            return v

        return cycle
    if "pickOne" in spec:
        values = spec["pickOne"]
        return lambda t: values[int(math.floor(prng.float() * len(values)))]
    a = spec["decay"]
    start, half_life, floor = a["start"], a["halfLife"], a["floor"]
    return lambda t: floor + (start - floor) * 0.5 ** (js_max(0.0, t) / half_life)


def make_generator(spec, prng, precision=3.0):
    raw = raw_generator(spec, prng)
    return lambda t: round_to(raw(t), precision)


# ---------------------------------------------------------------------------------------------------
# Names


def device_name_of(template, n, fleet):
    def number(m):
        pad = m.group(1)
        return str(n).rjust(int(pad), "0") if pad else str(n)

    return re.sub(r"\{fleet\}", lambda m: fleet, re.sub(r"\{n(?::(0[0-9]+))?\}", number, template))


_LINE = "[^\n\r\u2028\u2029]"


def model_version_of_s3_url(s3_url):
    """src/common/endpoint-fleet-types.ts: .../pallet-detector-2.5.tar.gz -> 2.5."""
    segments = re.sub(r"\A[sS]3://", "", s3_url).split("/")
    last = ""
    i = len(segments) - 1
    while i >= 0 and last == "":
        last = segments[i]
        i -= 1
    base = re.sub(r"\.([tT][aA][rR]\.[gG][zZ]|[tT][gG][zZ]|[zZ][iI][pP])\Z", "", last)
    m = re.match(r"\A" + _LINE + "*-v?([0-9]" + _LINE + r"*)\Z", base)
    return m.group(1) if m else base


# ---------------------------------------------------------------------------------------------------
# A device's life (src/common/fleet/device.ts, SimulatedDevice; docs/fleet.md#a-devices-life)

REGISTERED = "REGISTERED"
FIRST_RETRY_MS = 1000.0
MAX_RETRY_MS = 60000.0
DEFAULT_CACHE_TTL_S = 3600.0
SEEN_CAP = 64
ORDER = {"GetDeviceRegistration": 0, "SendHeartbeat": 1, "GetDeployments": 2}


class Request:
    __slots__ = ("offset_ms", "fleet", "device", "operation", "body")

    def __init__(self, offset_ms, fleet, device, operation, body):
        self.offset_ms = offset_ms
        self.fleet = fleet
        self.device = device
        self.operation = operation
        self.body = body


class Device:
    """One simulated device. Pure: the caller says what time it is (ms from the run's start) and hands the
    answers back: ("GetDeviceRegistration", ok, registration, cache_ttl_seconds), ("GetDeployments", ok,
    deployments), ("SendHeartbeat", ok)."""

    def __init__(self, scenario, fleet, n, start_ms, live):
        seed = scenario["seed"]
        self.spec = fleet
        self.fleet = fleet["name"]
        self.n = n
        self.live = live
        self.start_ms = start_ms
        self.name = device_name_of(fleet["deviceName"], n, fleet["name"])
        skew = Prng(stream_seed(seed, fleet["name"], n, "skew"))
        lo, hi = fleet["clockSkewMs"]["min"], fleet["clockSkewMs"]["max"]
        self.skew_ms = js_round(lo + (hi - lo) * skew.float())
        self.schedule = Prng(stream_seed(seed, fleet["name"], n, "schedule"))
        self.deploy_prng = Prng(stream_seed(seed, fleet["name"], n, "deploy"))

        def streams(metrics, key):
            return [
                (m["dimension"], m["name"], make_generator(m["value"], Prng(stream_seed(seed, fleet["name"], n, "%s/%s/%s" % (key, m["dimension"], m["name"]))), m["precision"]))
                for m in metrics
            ]

        self.agent = streams(fleet["agentMetrics"], "agent")
        self.models = [{"name": m["name"], "version": m["version"], "metrics": streams(m["metrics"], "model/" + m["name"])} for m in fleet["models"]]
        self.ids = {"DeviceName": self.name, "DeviceFleetName": fleet["name"]}
        self.interval_ms = fleet["intervalMs"]
        self.poll_ms = fleet["deploymentPollMs"]
        self.jitter = fleet["jitter"]
        self.offline_p = fleet["offline"]["probability"]
        self.offline_ms = fleet["offline"]["durationMs"]
        self.first_ms = 0.0 if fleet["startup"] == "together" else js_floor((fleet["intervalMs"] * (n - 1)) / fleet["devices"])
        self.next_beat = self.first_ms
        self.next_poll = self.first_ms + self.poll_ms
        self.next_registration = self.first_ms
        self.quiet_until = -1.0
        self.registration = "not-asked"
        self.retry_ms = FIRST_RETRY_MS
        self.beat_ready = False
        self.applying = None
        self.result = None
        self.seen = []
        self.last_heartbeat_ms = None
        self.last_deployment = None

    @property
    def due_ms(self):
        return self._peek()[0]

    @property
    def due_operation(self):
        return self._peek()[1]

    def status(self, now_ms):
        if self.registration == "not-asked":
            return "starting"
        if self.registration == "asking":
            return "registering"
        if self.registration == "unregistered":
            return "unregistered"
        if now_ms < self.quiet_until:
            return "offline"
        if self.applying:
            return "deploying"
        return "healthy"

    def _peek(self):
        if self.registration == "not-asked":
            return (self.first_ms, "GetDeviceRegistration")
        registration_at = INF
        if self.live:
            if self.registration == "asking":
                return (INF, "GetDeviceRegistration")
            if self.next_registration < self.quiet_until:
                self.next_registration = self.quiet_until
            if self.registration == "unregistered":
                return (self.next_registration, "GetDeviceRegistration")
            registration_at = self.next_registration
        while True:
            if self.next_poll < self.next_beat:
                if self.next_poll >= self.quiet_until:
                    nxt = (self.next_poll, "GetDeployments")
                else:
                    self.next_poll += self.poll_ms
                    continue
            else:
                if not self.beat_ready and self.next_beat >= self.quiet_until:
                    if self.offline_p > 0 and self.schedule.float() < self.offline_p:
                        self.quiet_until = self.next_beat + self.offline_ms
                    else:
                        self.beat_ready = True
                if not self.beat_ready:
                    self._advance_beat()
                    continue
                nxt = (self.next_beat, "SendHeartbeat")
            if registration_at <= nxt[0]:
                if registration_at < self.quiet_until:
                    registration_at = self.next_registration = self.quiet_until
                if registration_at <= nxt[0]:
                    return (registration_at, "GetDeviceRegistration")
            return nxt

    def _advance_beat(self):
        self.beat_ready = False
        jitter = self.jitter * (2 * self.schedule.float() - 1) if self.jitter > 0 else 0.0
        self.next_beat += js_max(1.0, js_round(self.interval_ms * (1 + jitter)))

    def epoch_at(self, offset_ms):
        return round_to((self.start_ms + offset_ms + self.skew_ms) / 1000, 3)

    def take(self):
        at, operation = self._peek()
        if operation == "GetDeviceRegistration":
            if not self.live:
                self.registration = "registered"
            elif self.registration != "registered":
                self.registration = "asking"
            self.next_registration = INF
            return Request(at, self.fleet, self.name, operation, dict(self.ids))
        if operation == "GetDeployments":
            self.next_poll += self.poll_ms
            return Request(at, self.fleet, self.name, operation, dict(self.ids))
        body = self._heartbeat(at)
        self.last_heartbeat_ms = at
        self._advance_beat()
        return Request(at, self.fleet, self.name, operation, body)

    def _heartbeat(self, at):
        if self.applying and self.applying["endMs"] <= at:
            self._finish_deployment(self.applying)
        t = (at - self.first_ms) / 1000
        ts = self.epoch_at(at)
        body = {"AgentVersion": self.spec["agentVersion"]}
        body.update(self.ids)
        if self.agent:
            body["AgentMetrics"] = [{"Dimension": d, "MetricName": n, "Value": g(t), "Timestamp": ts} for d, n, g in self.agent]
        if self.models:
            models = []
            for m in self.models:
                entry = {"ModelName": m["name"], "ModelVersion": m["version"], "LatestSampleTime": ts, "LatestInference": ts}
                if m["metrics"]:
                    entry["ModelMetrics"] = [{"Dimension": d, "MetricName": n, "Value": g(t), "Timestamp": ts} for d, n, g in m["metrics"]]
                models.append(entry)
            body["Models"] = models
        if self.result is not None:
            body["DeploymentResult"] = self.result
        return body

    def answer(self, request, answer, now_ms):
        """answer: {"operation", "ok", "registration"?, "cacheTtlSeconds"?, "deployments"?}."""
        op = request.operation
        if op == "GetDeviceRegistration":
            registered = answer["ok"] and answer.get("registration") == REGISTERED
            if registered:
                if self.registration != "registered":
                    self._catch_up(now_ms)
                self.registration = "registered"
                self.retry_ms = FIRST_RETRY_MS
                ttl = answer.get("cacheTtlSeconds")
                ttl = ttl if ttl is not None and ttl > 0 else DEFAULT_CACHE_TTL_S
                self.next_registration = now_ms + ttl * 1000
            elif self.registration == "registered" and not answer["ok"]:
                # A failed re-check: the device keeps its registration and asks again in a minute.
                self.next_registration = now_ms + MAX_RETRY_MS
            else:
                self.registration = "unregistered"
                self.next_registration = now_ms + self.retry_ms
                self.retry_ms = js_min(MAX_RETRY_MS, self.retry_ms * 2)
            return
        if op == "SendHeartbeat":
            if answer["ok"] and self.result is not None and request.body.get("DeploymentResult") is self.result:
                self.result = None
            return
        if answer["ok"] and not self.applying:
            nxt = None
            for d in answer.get("deployments") or []:
                if "DeploymentName" in d and d["DeploymentName"] not in self.seen:
                    nxt = d
                    break
            if nxt is None:
                return
            self.seen.append(nxt["DeploymentName"])
            if len(self.seen) > SEEN_CAP:
                self.seen.pop(0)
            rate = self.spec["failureRate"]
            self.applying = {
                "deployment": nxt,
                "startMs": now_ms,
                "endMs": now_ms + self.spec["applyTimeMs"],
                "fails": rate > 0 and self.deploy_prng.float() < rate,
            }

    def _catch_up(self, now_ms):
        if self.last_heartbeat_ms is None:
            while self.next_beat + self.interval_ms <= now_ms:
                self._advance_beat()
        else:
            while self.next_beat < now_ms:
                self._advance_beat()
        while self.next_poll < now_ms:
            self.next_poll += self.poll_ms

    def _finish_deployment(self, applying):
        self.applying = None
        deployment = applying["deployment"]
        fails = applying["fails"]
        rollback = deployment.get("FailureHandlingPolicy") != "DO_NOTHING"
        results = []
        running = self.models
        for d in deployment.get("Definitions") or []:
            name = d.get("ModelHandle")
            name = "model" if name is None else name
            version = (d.get("S3Url") and model_version_of_s3_url(d["S3Url"])) or "unknown"
            desired = d.get("State")
            desired = "DEPLOY" if desired is None else desired
            before = next((m for m in running if m["name"] == name), None)
            entry = {"ModelHandle": name, "ModelName": name, "ModelVersion": version, "DesiredState": desired}
            if not fails:
                entry["State"] = desired
                entry["Status"] = "SUCCESS"
                if desired == "UNDEPLOY":
                    running = [m for m in running if m["name"] != name]
                elif before:
                    running = [dict(m, version=version) if m["name"] == name else m for m in running]
                else:
                    running = running + [{"name": name, "version": version, "metrics": []}]
            else:
                entry["Status"] = "FAIL"
                entry["StatusReason"] = "Simulated failure loading %s %s (failureRate %s)." % (name, version, js_number(self.spec["failureRate"]))
                if rollback:
                    entry["State"] = "DEPLOY" if before else "UNDEPLOY"
                else:
                    entry["State"] = "UNDEPLOY"
                    running = [m for m in running if m["name"] != name]
            results.append(entry)
        self.models = running
        status = "FAIL" if fails else "SUCCESS"
        self.last_deployment = {"name": deployment.get("DeploymentName") or "", "status": status}
        result = {}
        if deployment.get("DeploymentName"):
            result["DeploymentName"] = deployment["DeploymentName"]
        result["DeploymentStatus"] = status
        result["DeploymentStatusMessage"] = (
            ("The deployment failed and was rolled back to the previous models." if rollback else "The deployment failed; nothing was rolled back (DO_NOTHING).")
            if fails
            else "The deployment succeeded."
        )
        result["DeploymentStartTime"] = self.epoch_at(applying["startMs"])
        result["DeploymentEndTime"] = self.epoch_at(applying["endMs"])
        result["DeploymentModels"] = results
        self.result = result


def devices_of(scenario):
    """Every device of the scenario as (fleet index, fleet, number from 1), in run order."""
    out = []
    for f, fleet in enumerate(scenario["fleets"]):
        for n in range(1, int(fleet["devices"]) + 1):
            out.append((f, fleet, n))
    return out


def plan_requests(scenario, duration_ms, start_ms):
    """Every request of a dry run before duration_ms, in order (src/common/fleet/schedule.ts): by time,
    then fleet, then device number."""
    heap = []
    for f, fleet, n in devices_of(scenario):
        device = Device(scenario, fleet, n, start_ms, live=False)
        heap.append((device.due_ms, f, n, device))
    heapq.heapify(heap)
    while heap:
        at, f, n, device = heap[0]
        if at >= duration_ms:
            return
        yield device.take()
        heapq.heapreplace(heap, (device.due_ms, f, n, device))


# ---------------------------------------------------------------------------------------------------
# Durations and times (src/common/fleet/durations.ts, src/common/wire/timestamps.ts)

_UNIT_MS = {"ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def parse_duration(text):
    m = re.match(r"\A(-?[0-9]+(?:\.[0-9]+)?)(ms|s|m|h)\Z", js_trim(text))
    return float(m.group(1)) * _UNIT_MS[m.group(2)] if m else None


_ISO = re.compile(r"\A([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(\.[0-9]+)?)?)?([Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?\Z")


def _days_from_civil(y, m, d):
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _day_of_month(days):
    z = days + 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    return doy - (153 * mp + 2) // 5 + 1


def iso_to_epoch(text):
    """Epoch seconds of ISO 8601 text, as the CLI reads --start-time; None when it is not ISO 8601."""
    m = _ISO.match(js_trim(text))
    if not m:
        return None
    y, mo, d, h, mi, s, frac, zone = m.groups()
    year, month, day = int(y), int(mo), int(d)
    hour, minute, second = int(h or 0), int(mi or 0), int(s or 0)
    frac = frac or ""
    zone = zone or "Z"
    if month < 1 or month > 12 or day < 1 or day > 31 or hour > 23 or minute > 59 or second > 60:
        return None
    if 0 <= year <= 99:
        year += 1900  # Date.UTC's two-digit years
    ms = ((_days_from_civil(year, month, 1) + day - 1) * 86400 + hour * 3600 + minute * 60 + second) * 1000
    if _day_of_month(ms // 86400000) != day:
        return None
    offset_minutes = 0
    if zone not in ("Z", "z"):
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset_minutes = sign * (int(digits[0:2]) * 60 + int(digits[2:4] or "0"))
    utc_ms = float(ms - offset_minutes * 60000)
    if len(frac) <= 4:
        return (utc_ms + (js_round(float(frac) * 1000) if frac else 0.0)) / 1000
    return utc_ms / 1000 + float(frac)


def parse_start_time(text):
    """--start-time: epoch seconds or ISO 8601 -> epoch milliseconds; None when neither."""
    seconds = float(text) if re.match(r"\A[0-9]+(\.[0-9]+)?\Z", text) else iso_to_epoch(text)
    return None if seconds is None else js_round(seconds * 1000)


# ---------------------------------------------------------------------------------------------------
# SigV4 (src/node/signing/sigv4.ts), hmac/hashlib only

ALGORITHM = "AWS4-HMAC-SHA256"
SIGNING_NAME = "sagemaker"
_UNSIGNABLE = {
    "authorization", "cache-control", "connection", "expect", "from", "keep-alive", "max-forwards", "pragma",
    "referer", "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
}
_PLAIN_PATH = re.compile(r"\A(?:(/[A-Za-z0-9\-_~]+)+/?|/)\Z")


def escape_uri(text):
    """RFC 3986: everything but A-Z a-z 0-9 - _ . ~ as UTF-8 percent escapes."""
    return quote(text, safe="-_.~")


def canonical_uri(path):
    if _PLAIN_PATH.match(path):
        return path
    segments = []
    for segment in path.split("/"):
        if segment in ("", "."):
            continue
        if segment == "..":
            if segments:
                segments.pop()
        else:
            segments.append(segment)
    joined = ("/" if path.startswith("/") else "") + "/".join(segments) + ("/" if segments and path.endswith("/") else "")
    return escape_uri(joined).replace("%2F", "/")


def _safe_decode(text):
    if re.search(r"%(?![0-9a-fA-F]{2})", text):
        return text
    try:
        return unquote(text, errors="strict")
    except UnicodeDecodeError:
        return text


def parse_query(raw):
    pairs = []
    for part in raw.split("&") if raw else []:
        if part == "":
            continue
        key, eq, value = part.partition("=")
        pairs.append((_safe_decode(key), _safe_decode(value)))
    return pairs


def canonical_query(pairs):
    encoded = sorted((escape_uri(k), escape_uri(v)) for k, v in pairs if k.lower() != "x-amz-signature")
    return "&".join("%s=%s" % kv for kv in encoded)


def canonical_header_value(value):
    if isinstance(value, (list, tuple)):
        return ",".join(canonical_header_value(v) for v in value)
    if not re.search(r"[\r\n\t]| {2}|\A | \Z", value):
        return value
    value = re.sub(r"[ \t]+", " ", re.sub(r"[\r\n]", " ", value))
    return re.sub(r"\A | \Z", "", value)


def signable_headers(headers):
    return sorted(n for n, v in headers.items() if v is not None and n not in _UNSIGNABLE and not re.match(r"(proxy|sec)-", n))


_KEYS = {}


def signing_key(secret, date, region, service):
    key_id = (secret, date, region, service)
    key = _KEYS.get(key_id)
    if key is None:
        if len(_KEYS) >= 256:
            _KEYS.clear()
        key = hmac.new(("AWS4" + secret).encode("utf-8"), date.encode("utf-8"), hashlib.sha256).digest()
        for part in (region, service, "aws4_request"):
            key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
        _KEYS[key_id] = key
    return key


def amz_date(epoch_seconds=None):
    now = datetime.datetime.now(datetime.timezone.utc) if epoch_seconds is None else datetime.datetime.fromtimestamp(epoch_seconds, datetime.timezone.utc)
    return now.strftime("%Y%m%dT%H%M%SZ")


def sign(method, path, query, headers, body, access_key_id, secret_access_key, region, service, date, session_token=None, payload_hash_header=False):
    """Signs a request: headers (any case; a list value is joined with commas) plus x-amz-date (and the
    token). Returns {"headers" (lower-case, with authorization), "canonical_request", "string_to_sign", "signature"}."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    out = {}
    for name, value in headers.items():
        if value is not None:
            out[name.lower()] = value if isinstance(value, str) else ",".join(value)
    out["x-amz-date"] = date
    if session_token:
        out["x-amz-security-token"] = session_token
    payload_hash = out.get("x-amz-content-sha256")
    if payload_hash is None:
        payload_hash = hashlib.sha256(body).hexdigest()
        if payload_hash_header:
            out["x-amz-content-sha256"] = payload_hash
    signed = signable_headers(out)
    canonical = "\n".join([
        method,
        canonical_uri(path),
        canonical_query(query),
        "".join("%s:%s\n" % (n, canonical_header_value(out[n])) for n in signed),
        ";".join(signed),
        payload_hash,
    ])
    scope = "%s/%s/%s/aws4_request" % (date[:8], region, service)
    to_sign = "%s\n%s\n%s\n%s" % (ALGORITHM, date, scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest())
    signature = hmac.new(signing_key(secret_access_key, date[:8], region, service), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    out["authorization"] = "%s Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (ALGORITHM, access_key_id, scope, ";".join(signed), signature)
    return {"headers": out, "canonical_request": canonical, "string_to_sign": to_sign, "signature": signature}


class Signer:
    """Signs the JSON POSTs of Edge Manager as the composer does (content-type, host, x-amz-content-sha256,
    x-amz-date and a session token when there is one)."""

    def __init__(self, access_key_id, secret_access_key, region, session_token=None, service=SIGNING_NAME):
        self.access_key_id = access_key_id
        self.secret_access_key = secret_access_key
        self.region = region
        self.session_token = session_token
        self.service = service

    def headers(self, host, path, body, date=None):
        signed = sign(
            "POST", path, [], {"content-type": "application/json", "host": host}, body,
            self.access_key_id, self.secret_access_key, self.region, self.service, date or amz_date(),
            self.session_token, payload_hash_header=True,
        )
        return signed["headers"]


# ---------------------------------------------------------------------------------------------------
# The AWS SDK's standard retry strategy (src/node/engine/retry.ts)

DEFAULT_MAX_ATTEMPTS = 3
BASE_DELAY_MS = 100
THROTTLING_BASE_DELAY_MS = 500
MAX_BACKOFF_MS = 20000
THROTTLING_CODES = {
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
    "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
    "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
    "EC2ThrottledException",
}
TRANSIENT_CODES = {"TimeoutError", "RequestTimeout", "RequestTimeoutException"}
TRANSIENT_STATUS = {500, 502, 503, 504}
RETRYABLE_TRANSPORT = {"refused", "reset", "timeout", "dns"}


def classify_failure(status=None, error_type=None, transport=None):
    """'throttling', 'transient', 'timeout' or 'none' (the SDK's clock-skew retry is not ported)."""
    if transport is not None:
        if transport not in RETRYABLE_TRANSPORT:
            return "none"
        return "timeout" if transport == "timeout" else "transient"
    if status == 429 or error_type in THROTTLING_CODES:
        return "throttling"
    if status in TRANSIENT_STATUS or error_type in TRANSIENT_CODES:
        return "transient"
    return "none"


def backoff_ms(retry, retry_class, rand=random.random):
    base = THROTTLING_BASE_DELAY_MS if retry_class == "throttling" else BASE_DELAY_MS
    return math.floor(rand() * min(base * 2 ** (retry - 1), MAX_BACKOFF_MS))


def retry_after_ms(value, now_ms):
    if not value:
        return None
    value = value.strip()
    if re.match(r"\A[0-9]+(\.[0-9]+)?\Z", value):
        ms = float(value) * 1000
    else:
        try:
            from email.utils import parsedate_to_datetime

            ms = max(0.0, parsedate_to_datetime(value).timestamp() * 1000 - now_ms)
        except (TypeError, ValueError, IndexError):
            return None
    return min(ms, MAX_BACKOFF_MS)


class RetryQuota:
    """The SDK's retry token bucket: 500 tokens; a retry costs 5 (10 after a timeout); a success returns
    what its retries took, or 1."""

    CAPACITY = 500

    def __init__(self):
        self.available = self.CAPACITY

    def acquire(self, retry_class):
        cost = 10 if retry_class == "timeout" else 5
        if cost > self.available:
            return None
        self.available -= cost
        return cost

    def release(self, spent):
        self.available = min(self.CAPACITY, self.available + (spent if spent > 0 else 1))


def service_error_type(status, headers, text):
    """restJson1: x-amzn-ErrorType (before any ':'), else the body's __type / code (after any '#'), else HttpNNNError."""
    from_header = (headers.get("x-amzn-errortype") or "").split(":")[0].strip()
    if from_header:
        return from_header
    try:
        body = json.loads(text) if text else {}
    except ValueError:
        body = {}
    if isinstance(body, dict):
        code = body.get("__type") if isinstance(body.get("__type"), str) else body.get("code") if isinstance(body.get("code"), str) else None
        if code and code.split("#")[-1]:
            return code.split("#")[-1]
    return "Http%dError" % status


def parse_answer(operation, ok, text):
    """The answer a device sees (src/node/fleet/run.ts answerOf)."""
    if not ok:
        return {"operation": operation, "ok": False}
    if operation == "SendHeartbeat":
        return {"operation": operation, "ok": True}
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {"operation": operation, "ok": False}
    parsed = value if isinstance(value, dict) else {}
    if operation == "GetDeviceRegistration":
        answer = {"operation": operation, "ok": True, "registration": parsed["DeviceRegistration"] if isinstance(parsed.get("DeviceRegistration"), str) else ""}
        try:
            ttl = float(parsed.get("CacheTTL"))
        except (TypeError, ValueError):
            ttl = math.nan
        if math.isfinite(ttl) and ttl > 0:
            answer["cacheTtlSeconds"] = ttl
        return answer
    deployments = parsed.get("Deployments")
    deployments = [d for d in deployments if isinstance(d, dict)] if isinstance(deployments, list) else []
    return {"operation": operation, "ok": True, "deployments": deployments}


# ---------------------------------------------------------------------------------------------------
# Sending from a Locust user (what locustfile.py and replay_locustfile.py share; gevent and Locust are
# needed only here, so the dry run runs without them)


class RequestFailed(Exception):
    """A send that failed after its retries; Locust's failure tables show its error type as it is."""

    def __repr__(self):
        return self.args[0]

    __str__ = __repr__


def transport_code(error):
    """A transport error as the composer names it: refused, reset, timeout, dns, tls or other."""
    import socket

    if isinstance(error, ConnectionRefusedError):
        return "refused"
    if isinstance(error, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)):
        return "reset"
    if isinstance(error, (socket.timeout, TimeoutError)) or error.__class__.__name__ == "Timeout":
        return "timeout"
    if isinstance(error, socket.gaierror):
        return "dns"
    if error.__class__.__name__.startswith("SSL"):
        return "tls"
    return "other"


_ENV_SIGNER = []


def signer_from_environment():
    """The devices' signer from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_REGION
    (or AWS_DEFAULT_REGION; default us-east-1)."""
    import os

    if not _ENV_SIGNER:
        key, secret = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
        if not key or not secret:
            raise RuntimeError("Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary keys) for the requests to be signed.")
        region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
        _ENV_SIGNER.append(Signer(key, secret, region, os.environ.get("AWS_SESSION_TOKEN") or None))
    return _ENV_SIGNER[0]


class Target:
    """Locust's --host as the requests need it: the Host header signed and sent, and the URL of an operation."""

    def __init__(self, host):
        from urllib.parse import urlsplit

        url = urlsplit(host or "")
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError("--host must be an http(s) URL such as http://127.0.0.1:8787, not %r" % host)
        default_port = 80 if url.scheme == "http" else 443
        name = "[%s]" % url.hostname if ":" in url.hostname else url.hostname
        self.host_header = name + (":%d" % url.port if url.port and url.port != default_port else "")
        self.base = "%s://%s" % (url.scheme, url.netloc)
        self.prefix = url.path.rstrip("/")

    def path(self, operation):
        return self.prefix + "/" + operation


RETRY_QUOTA = RetryQuota()


def locust_send(user, target, operation, body, refused=None):
    """One send from a Locust user with the standard retries (3 attempts, full-jitter backoff, Retry-After,
    the retry quota), signed for each attempt; Locust records one request for it, named by the operation,
    its time the whole send. `refused` counts every refused attempt by error type. Returns (ok, text)."""
    import time

    import gevent

    path = target.path(operation)
    url = target.base + path
    started = time.time()
    t0 = time.perf_counter()
    retry_cost = 0
    attempt = 0
    while True:
        attempt += 1
        headers = signer_from_environment().headers(target.host_header, path, body)
        # catch_response without its with-block: Locust records nothing for the attempt (the send is recorded below).
        response = user.client.request("POST", url, data=body, headers=headers, catch_response=True, name=operation)
        error = getattr(response, "error", None)
        status = response.status_code or 0
        if error is None and 200 <= status < 300:
            RETRY_QUOTA.release(retry_cost)
            exception, ok, text = None, True, response.text or ""
            break
        after = None
        if error is not None and not status:
            code = transport_code(error)
            failure, retry_class, text = "transport:" + code, classify_failure(transport=code), ""
        else:
            text = response.text or ""
            response_headers = response.headers or {}
            failure = service_error_type(status, response_headers, text)
            retry_class = classify_failure(status=status, error_type=failure)
            after = retry_after_ms(response_headers.get("retry-after"), time.time() * 1000)
        if refused is not None:
            refused[failure] = refused.get(failure, 0) + 1
        cost = None if retry_class == "none" or attempt >= DEFAULT_MAX_ATTEMPTS else RETRY_QUOTA.acquire(retry_class)
        if cost is None:
            exception, ok = RequestFailed(failure), False
            break
        retry_cost += cost
        gevent.sleep(max(backoff_ms(attempt, retry_class), after or 0) / 1000.0)
    user.environment.events.request.fire(
        request_type="POST",
        name=operation,
        response_time=(time.perf_counter() - t0) * 1000,
        response_length=len(body),
        exception=exception,
        context={},
        response=response,
        start_time=started,
        url=url,
    )
    return ok, text


# ---------------------------------------------------------------------------------------------------
# The scenario (written by `heartbeat fleet export`: the parsed scenario, defaults filled in,
# durations in milliseconds, csv columns read into `values`)

SCENARIO_JSON = r"""
null
"""


def load_scenario(text=None):
    return json.loads(SCENARIO_JSON if text is None else text, parse_int=float)


def total_devices(scenario):
    return sum(int(f["devices"]) for f in scenario["fleets"])


# ---------------------------------------------------------------------------------------------------
# The dry run


def main(argv):
    import argparse

    parser = argparse.ArgumentParser(
        prog="heartbeat_fleet.py",
        description="The embedded scenario's requests, as `heartbeat fleet run SCENARIO --dry-run --output ndjson` prints them.",
    )
    parser.add_argument("--dry-run", action="store_true", help="print every request a run would make, without sending (required)")
    parser.add_argument("--duration", help="how long (500ms, 5s, 2m, 1h); default the scenario's")
    parser.add_argument("--start-time", help="the run's start: ISO 8601 or epoch seconds (default now)")
    args = parser.parse_args(argv)
    scenario = load_scenario()
    if scenario is None:
        parser.error("no scenario is embedded: write this file with heartbeat fleet export SCENARIO --to locust --out DIR")
    if not args.dry_run:
        parser.error("say --dry-run (the devices run under Locust: locust -f locustfile.py, see README.md)")
    duration_ms = scenario.get("durationMs")
    if args.duration is not None:
        duration_ms = parse_duration(args.duration)
        if duration_ms is None or duration_ms <= 0:
            parser.error('--duration must be a duration like 30s or 10m, not "%s"' % args.duration)
    if duration_ms is None:
        parser.error("a dry run needs an end: give --duration, or a duration in the scenario")
    if args.start_time is not None:
        start_ms = parse_start_time(args.start_time)
        if start_ms is None:
            parser.error('--start-time must be ISO 8601 (2026-11-30T12:00:00Z) or epoch seconds, not "%s"' % args.start_time)
    else:
        start_ms = float(math.floor(datetime.datetime.now(datetime.timezone.utc).timestamp() * 1000))
    out = sys.stdout
    buffer = []
    size = 0
    for r in plan_requests(scenario, duration_ms, start_ms):
        line = '{"offsetMs":%s,"device":%s,"operation":"%s","body":%s}\n' % (js_number(r.offset_ms), js_string(r.device), r.operation, js_json(r.body))
        buffer.append(line)
        size += len(line)
        if size > 1 << 16:
            out.write("".join(buffer))
            buffer = []
            size = 0
    out.write("".join(buffer))
    out.flush()
    return 0


if __name__ == "__main__":
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", newline="\n")
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:
        # The reader went away (… --dry-run | head): done, as the CLI is.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
