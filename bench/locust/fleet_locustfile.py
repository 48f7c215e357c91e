"""The Locust peer of `npm run bench fleet`: FastHttpUser sends heartbeats shaped like the bench scenario's
(an agent metric, a model with two metrics, timestamps = send time), each with fresh values, signed with
SigV4 by hmac/hashlib only (no botocore), as a Locust user would write a device simulation.
Run by bench/fleet.bench.ts: locust -f this --headless -u 32 -r 1000 --host URL."""
import itertools
import json
import math
import os
import random
import time

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

from sigv4 import signed_headers

DEVICES = int(os.environ.get("FLEET_DEVICES", "1000"))
COUNTER = itertools.count()


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
