"""The Locust peer of `npm run bench fleet`: FastHttpUser sends heartbeats shaped like the bench scenario's
(an agent metric, a model with two metrics, timestamps = send time), each with fresh values, signed with
SigV4 by hmac/hashlib only (no botocore), as a Locust user would write a device simulation.
Run by bench/fleet.bench.ts: locust -f this --headless -u 32 -r 1000 --host URL."""
import datetime
import hashlib
import hmac
import itertools
import json
import math
import os
import random
import time

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

ACCESS_KEY = os.environ["AWS_ACCESS_KEY_ID"]
SECRET_KEY = os.environ["AWS_SECRET_ACCESS_KEY"]
REGION = os.environ.get("AWS_REGION", "us-east-1")
DEVICES = int(os.environ.get("FLEET_DEVICES", "1000"))
SERVICE = "sagemaker"
COUNTER = itertools.count()
_KEYS = {}


def signing_key(date):
    key = _KEYS.get(date)
    if key is None:
        k = hmac.new(("AWS4" + SECRET_KEY).encode(), date.encode(), hashlib.sha256).digest()
        for part in (REGION, SERVICE, "aws4_request"):
            k = hmac.new(k, part.encode(), hashlib.sha256).digest()
        _KEYS[date] = key = k
    return key


def signed_headers(host, path, body):
    amz_date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    date = amz_date[:8]
    payload_hash = hashlib.sha256(body).hexdigest()
    canonical = "\n".join([
        "POST", path, "",
        "content-type:application/json\nhost:%s\nx-amz-content-sha256:%s\nx-amz-date:%s\n" % (host, payload_hash, amz_date),
        "content-type;host;x-amz-content-sha256;x-amz-date", payload_hash,
    ])
    scope = "%s/%s/%s/aws4_request" % (date, REGION, SERVICE)
    to_sign = "AWS4-HMAC-SHA256\n%s\n%s\n%s" % (amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest())
    signature = hmac.new(signing_key(date), to_sign.encode(), hashlib.sha256).hexdigest()
    return {
        "content-type": "application/json",
        "x-amz-content-sha256": payload_hash,
        "x-amz-date": amz_date,
        "authorization": "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=%s" % (ACCESS_KEY, scope, signature),
    }


class Device(FastHttpUser):
    wait_time = constant(0)

    @task
    def heartbeat(self):
        i = next(COUNTER)
        now = round(time.time(), 3)
        body = json.dumps({
            "AgentVersion": "1.20210820.e20fa3a",
            "DeviceName": "peak-%d" % (i % DEVICES + 1),
            "DeviceFleetName": "peak",
            "AgentMetrics": [{"Dimension": "agent", "MetricName": "CpuUtilization", "Value": round(random.uniform(0, 100), 3), "Timestamp": now}],
            "Models": [{
                "ModelName": "pallet-detector", "ModelVersion": "2.4", "LatestSampleTime": now, "LatestInference": now,
                "ModelMetrics": [
                    {"Dimension": "model/pallet-detector", "MetricName": "InferenceLatency", "Value": round(40 + 10 * math.sin(now / 60), 3), "Timestamp": now},
                    {"Dimension": "model/pallet-detector", "MetricName": "InferenceCount", "Value": i * 5, "Timestamp": now},
                ],
            }],
        }, separators=(",", ":")).encode()
        host = self.host.split("://", 1)[1]
        self.client.post("/SendHeartbeat", data=body, headers=signed_headers(host, "/SendHeartbeat", body))
