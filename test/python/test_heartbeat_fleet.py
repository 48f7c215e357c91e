"""The Python of the Locust export (src/node/fleet/locust/heartbeat_fleet.py), run by npm test through
test/cli/fleet-locust-export.test.ts with Debian's /usr/bin/python3 (standard library only):

- its SigV4 signer against AWS's own test suite (test/fixtures/aws4_testsuite, the vectors botocore and
  test/unit/node/sigv4.test.ts use): canonical request, string to sign and Authorization of every case;
- the Edge Manager request signer against the same core, and the standard retry strategy's decisions;
- durations, start times, Math.round and the rounding of values as the TypeScript writes them.
"""
import os
import re
import sys
import unittest
from urllib.parse import unquote

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "src", "node", "fleet", "locust"))
import heartbeat_fleet as h  # noqa: E402

SUITE = os.path.join(ROOT, "test", "fixtures", "aws4_testsuite")
KEY_ID, SECRET = "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
# botocore skips it too: a request line its (and Node's) HTTP parser rejects.
SKIPPED = {"get-space"}


def cases(folder):
    out = []
    for entry in sorted(os.listdir(folder)):
        path = os.path.join(folder, entry)
        if not os.path.isdir(path):
            continue
        if os.path.exists(os.path.join(path, entry + ".req")):
            out.append((entry, path))
        else:
            out.extend(cases(path))
    return out


def read_file(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def parse_req(text):
    """A .req file: request line, headers (continuation lines folded in, repeated names kept in order), body."""
    head, _, body = text.partition("\n\n")
    lines = head.split("\n")
    method, target = lines[0].split(" ")[:2]
    headers = {}
    last = None
    for line in lines[1:]:
        if line == "":
            continue
        if re.match(r"\s", line) and last is not None:
            last[-1] += "\n" + line
            continue
        name, _, value = line.partition(":")
        last = headers.setdefault(name.lower(), [])
        last.append(value)
    path, _, raw_query = target.partition("?")
    query = []
    for part in raw_query.split("&") if raw_query else []:
        k, _, v = part.partition("=")
        query.append((unquote(k), unquote(v)))
    return method, path, query, {k: v[0] if len(v) == 1 else v for k, v in headers.items()}, body


class SigV4Suite(unittest.TestCase):
    def test_every_case_of_the_suite(self):
        found = cases(SUITE)
        self.assertGreaterEqual(len(found), 30)
        checked = 0
        for name, folder in found:
            if name in SKIPPED:
                continue
            read = lambda ext: read_file(os.path.join(folder, "%s.%s" % (name, ext)))  # noqa: E731
            method, path, query, headers, body = parse_req(read("req"))
            creq = read("creq")
            token = re.search(r"\nx-amz-security-token:(.*)\n", creq)
            sent = headers.pop("x-amz-security-token", None)
            if token and sent is not None:
                self.assertEqual(sent, token.group(1), name)
            with self.subTest(case=name):
                signed = h.sign(method, path, query, headers, body, KEY_ID, SECRET, "us-east-1", "service", "20150830T123600Z", token.group(1) if token else None)
                self.assertEqual(signed["canonical_request"], creq)
                self.assertEqual(signed["string_to_sign"], read("sts"))
                self.assertEqual(signed["headers"]["authorization"], read("authz"))
            checked += 1
        self.assertGreaterEqual(checked, 30)

    def test_edge_manager_requests(self):
        signer = h.Signer("AKIAHBCOMPOSERDEMO01", "hbcDemoSecret/OnlyForTheEmbeddedEndpoint", "us-east-1")
        body = b'{"DeviceName":"d-1","DeviceFleetName":"f"}'
        headers = signer.headers("127.0.0.1:8787", "/GetDeviceRegistration", body, "20261130T120000Z")
        self.assertEqual(set(headers), {"content-type", "host", "x-amz-date", "x-amz-content-sha256", "authorization"})
        self.assertTrue(headers["authorization"].startswith(
            "AWS4-HMAC-SHA256 Credential=AKIAHBCOMPOSERDEMO01/20261130/us-east-1/sagemaker/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature="))
        general = h.sign("POST", "/GetDeviceRegistration", [], {"Content-Type": "application/json", "Host": "127.0.0.1:8787"}, body,
                         "AKIAHBCOMPOSERDEMO01", "hbcDemoSecret/OnlyForTheEmbeddedEndpoint", "us-east-1", "sagemaker", "20261130T120000Z",
                         payload_hash_header=True)
        self.assertEqual(general["headers"]["authorization"], headers["authorization"])
        with_token = h.Signer("K", "S", "eu-west-1", "TOKEN").headers("h", "/SendHeartbeat", b"{}", "20261130T120000Z")
        self.assertEqual(with_token["x-amz-security-token"], "TOKEN")
        self.assertIn("x-amz-security-token", with_token["authorization"])


class RetryStrategy(unittest.TestCase):
    def test_what_retries(self):
        self.assertEqual(h.classify_failure(status=429, error_type="Http429Error"), "throttling")
        self.assertEqual(h.classify_failure(status=400, error_type="ThrottlingException"), "throttling")
        self.assertEqual(h.classify_failure(status=503, error_type="ServiceUnavailable"), "transient")
        self.assertEqual(h.classify_failure(status=400, error_type="ValidationException"), "none")
        self.assertEqual(h.classify_failure(status=403, error_type="InvalidSignatureException"), "none")
        self.assertEqual(h.classify_failure(transport="refused"), "transient")
        self.assertEqual(h.classify_failure(transport="timeout"), "timeout")
        self.assertEqual(h.classify_failure(transport="tls"), "none")
        self.assertEqual(h.backoff_ms(1, "throttling", lambda: 0.999), 499)
        self.assertEqual(h.backoff_ms(3, "transient", lambda: 0.5), 200)
        self.assertEqual(h.backoff_ms(20, "throttling", lambda: 0.5), 10000)
        self.assertEqual(h.retry_after_ms("1", 0), 1000)
        self.assertEqual(h.retry_after_ms("600", 0), 20000)
        self.assertIsNone(h.retry_after_ms("soon", 0))
        quota = h.RetryQuota()
        self.assertEqual([quota.acquire("transient") for _ in range(100)].count(5), 100)
        self.assertIsNone(quota.acquire("transient"))
        quota.release(0)
        self.assertIsNone(quota.acquire("transient"))
        quota.release(10)
        self.assertEqual(quota.acquire("timeout"), 10)

    def test_error_types(self):
        self.assertEqual(h.service_error_type(400, {"x-amzn-errortype": "ValidationException:http://x"}, ""), "ValidationException")
        self.assertEqual(h.service_error_type(400, {}, '{"__type":"com.amazon#ThrottlingException"}'), "ThrottlingException")
        self.assertEqual(h.service_error_type(502, {}, "<html>"), "Http502Error")

    def test_answers(self):
        self.assertEqual(h.parse_answer("GetDeviceRegistration", True, '{"DeviceRegistration":"REGISTERED","CacheTTL":"60"}'),
                         {"operation": "GetDeviceRegistration", "ok": True, "registration": "REGISTERED", "cacheTtlSeconds": 60.0})
        self.assertEqual(h.parse_answer("GetDeployments", True, '{"Deployments":[{"DeploymentName":"a"},3]}')["deployments"], [{"DeploymentName": "a"}])
        self.assertFalse(h.parse_answer("GetDeployments", True, "not json")["ok"])


class JavaScriptNumbers(unittest.TestCase):
    def test_durations_and_start_times(self):
        self.assertEqual(h.parse_duration("1234.5ms"), 1234.5)
        self.assertEqual(h.parse_duration(" 2m "), 120000.0)
        self.assertIsNone(h.parse_duration("soon"))
        self.assertEqual(h.parse_start_time("2026-11-30T12:00:00Z"), 1796040000000.0)
        self.assertEqual(h.parse_start_time("2026-11-30T13:00:00.5+01:00"), 1796040000500.0)
        self.assertEqual(h.parse_start_time("1796040000.25"), 1796040000250.0)
        self.assertIsNone(h.parse_start_time("2026-02-30T00:00:00Z"))
        self.assertIsNone(h.parse_start_time("noon"))

    def test_math_round_and_rounding(self):
        self.assertEqual(h.js_round(2.5), 3.0)
        self.assertEqual(h.js_round(-2.5), -2.0)
        self.assertEqual(h.js_round(0.49999999999999994), 0.0)
        self.assertEqual(str(h.js_round(-0.2)), "-0.0")
        self.assertEqual(h.round_to(1.0005, 3), 1.001)
        self.assertEqual(h.round_to(2.675, 2), 2.68)
        self.assertEqual(h.js_number(h.round_to(1e21, 10)), "1e+21")
        self.assertEqual(h.js_json({"a": [1.0, -0.0, 1e-7, "é\u2028\"\n\x01"], "b": None, "c": True}), '{"a":[1,0,1e-7,"é\u2028\\"\\n\\u0001"],"b":null,"c":true}')

    def test_prng(self):
        p = h.Prng(h.stream_seed(42.0, "warehouse-cameras", 7, "CpuUtilization"))
        self.assertEqual(h.stream_seed(42, "warehouse-cameras", 7, "CpuUtilization"), h.fnv1a32("42\x00warehouse-cameras\x007\x00CpuUtilization"))
        xs = [p.float() for _ in range(1000)]
        self.assertTrue(all(0 <= x < 1 for x in xs))


if __name__ == "__main__":
    unittest.main(verbosity=1)
