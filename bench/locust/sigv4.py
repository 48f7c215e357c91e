"""SigV4 for the bench's Locust peers (replay_locustfile.py, fleet_locustfile.py): hmac/hashlib only (no
botocore), as a Locust user would write it; the daily signing key cached. Credentials and region from the
standard AWS_* environment variables."""
import datetime
import hashlib
import hmac
import os

ACCESS_KEY = os.environ["AWS_ACCESS_KEY_ID"]
SECRET_KEY = os.environ["AWS_SECRET_ACCESS_KEY"]
REGION = os.environ.get("AWS_REGION", "us-east-1")
SERVICE = "sagemaker"
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
    """The headers of a signed POST of `body` (bytes) to `path` at `host`."""
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
