"""The Locust peer of `npm run bench replay`: FastHttpUser sends the same heartbeats as the bench,
signed with SigV4 by hmac/hashlib only (sigv4.py, no botocore), as a Locust user would write it.
Run by bench/replay.bench.ts: locust -f this --headless -u 32 -r 1000 --host URL."""
import itertools
import json
import os
import time

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

from sigv4 import signed_headers

COUNTER = itertools.count()


class Device(FastHttpUser):
    wait_time = constant(0)

    @task
    def heartbeat(self):
        i = next(COUNTER)
        body = json.dumps({"AgentVersion": "1.0", "DeviceName": "bench-%d" % (i % 500), "DeviceFleetName": "bench-fleet",
                           "AgentMetrics": [{"Dimension": "cpu", "MetricName": "load", "Value": i % 100, "Timestamp": int(time.time())}]},
                          separators=(",", ":")).encode()
        host = self.host.split("://", 1)[1]
        self.client.post("/SendHeartbeat", data=body, headers=signed_headers(host, "/SendHeartbeat", body))
