"""An Edge Manager stand-in that checks every request's SigV4 signature with botocore (the AWS CLI's signer).

test/integration/fleet/botocore.test.ts runs it with /usr/bin/python3. For every POST it rebuilds the
request as a botocore AWSRequest (method, URL with the Host received, body, and exactly the headers the
Authorization header lists in SignedHeaders), has botocore sign it at the request's own X-Amz-Date with
the credentials from the environment, and compares the Authorization botocore makes with the one received.
A match is answered as Edge Manager answers; a mismatch with 403 InvalidSignatureException.
GET /counts answers the accepted and rejected requests per operation as JSON.

Environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (optional), AWS_REGION.
Prints "listening on http://127.0.0.1:PORT" once it is ready. Standard library and botocore only.
"""

import hmac
import json
import os
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Debian's awscli (v2) vendors botocore inside its own package rather than as a top-level module.
sys.path.insert(0, '/usr/lib/python3/dist-packages/awscli')
import botocore.auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

ACCESS_KEY = os.environ['AWS_ACCESS_KEY_ID']
SECRET_KEY = os.environ['AWS_SECRET_ACCESS_KEY']
TOKEN = os.environ.get('AWS_SESSION_TOKEN') or None
REGION = os.environ['AWS_REGION']
SERVICE = 'sagemaker'

MISMATCH = (
    'The request signature we calculated does not match the signature you provided. '
    'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'
)

# The answers of a match, per operation (SendHeartbeat's is an empty body).
ANSWERS = {
    'GetDeviceRegistration': b'{"DeviceRegistration":"REGISTERED","CacheTTL":"3600"}',
    'GetDeployments': b'{"Deployments":[]}',
    'SendHeartbeat': b'',
}

# Accepted and rejected requests per operation, and the first few reasons for a rejection (on stderr).
counts = {}
counts_lock = threading.Lock()
reasons_left = [10]


class PinnedClockSigV4Auth(botocore.auth.SigV4Auth):
    """botocore's SigV4Auth, signing at a given X-Amz-Date instead of datetime.utcnow().

    SigV4Auth.add_auth takes the time from datetime.datetime.utcnow() and puts it in
    request.context['timestamp'], from which canonical_request, string_to_sign and signature read it.
    This add_auth sets that timestamp from the request and then runs the same steps as botocore's
    (remove an old Authorization, set X-Amz-Date and X-Amz-Security-Token, canonical request,
    string to sign, signature, Authorization header), all of them botocore's own methods.
    """

    def __init__(self, credentials, service_name, region_name, amz_date):
        super().__init__(credentials, service_name, region_name)
        self._amz_date = amz_date

    def add_auth(self, request):
        request.context['timestamp'] = self._amz_date
        self._modify_request_before_signing(request)
        canonical_request = self.canonical_request(request)
        string_to_sign = self.string_to_sign(request, canonical_request)
        signature = self.signature(string_to_sign, request)
        self._inject_signature_to_request(request, signature)


def parse_authorization(value):
    """'AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...' -> dict, or None."""
    algorithm, _, rest = (value or '').partition(' ')
    if algorithm != 'AWS4-HMAC-SHA256':
        return None
    parts = {}
    for item in rest.split(','):
        name, _, part = item.strip().partition('=')
        parts[name] = part
    if not all(k in parts for k in ('Credential', 'SignedHeaders', 'Signature')):
        return None
    return parts


class Handler(BaseHTTPRequestHandler):
    # Keep-alive, as AWS endpoints do: every answer has a Content-Length.
    protocol_version = 'HTTP/1.1'

    def log_message(self, format, *args):
        # No access log: a run makes hundreds of requests.
        pass

    def answer(self, status, body, headers=None):
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.send_header('x-amzn-RequestId', str(uuid.uuid4()))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path != '/counts':
            self.answer(404, b'{"message":"Not found"}')
            return
        with counts_lock:
            body = json.dumps(counts, sort_keys=True).encode()
        self.answer(200, body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
        operation = self.path.lstrip('/').split('?')[0]
        reason = self.check_signature(body)
        with counts_lock:
            entry = counts.setdefault(operation, {'accepted': 0, 'rejected': 0})
            entry['rejected' if reason else 'accepted'] += 1
            if reason and reasons_left[0] > 0:
                reasons_left[0] -= 1
                print('rejected %s: %s' % (operation, reason), file=sys.stderr, flush=True)
        if reason:
            message = json.dumps({'message': MISMATCH}).encode()
            self.answer(403, message, {'x-amzn-ErrorType': 'InvalidSignatureException'})
        elif operation in ANSWERS:
            self.answer(200, ANSWERS[operation])
        else:
            self.answer(404, b'{"message":"Unknown operation"}', {'x-amzn-ErrorType': 'UnknownOperationException'})

    def check_signature(self, body):
        """None when botocore makes the same Authorization for this request; else why not."""
        received = parse_authorization(self.headers.get('Authorization'))
        if received is None:
            return 'no AWS4-HMAC-SHA256 Authorization header with Credential, SignedHeaders and Signature'
        amz_date = self.headers.get('X-Amz-Date')
        if not amz_date:
            return 'no X-Amz-Date header'
        if self.headers.get('X-Amz-Security-Token') != TOKEN:
            return 'the X-Amz-Security-Token header is not the session token (or is there without one)'

        # The request as botocore would have built it: only the signed headers, each value as received
        # (a repeated header keeps all its values; botocore joins them with commas).
        signed_names = received['SignedHeaders'].split(';')
        request = AWSRequest(method=self.command, url='http://%s%s' % (self.headers.get('Host'), self.path), data=body)
        for name in signed_names:
            values = self.headers.get_all(name)
            if values is None:
                return 'the signed header %s was not sent' % name
            for value in values:
                request.headers[name] = value

        credentials = Credentials(ACCESS_KEY, SECRET_KEY, TOKEN)
        PinnedClockSigV4Auth(credentials, SERVICE, REGION, amz_date).add_auth(request)
        expected = parse_authorization(request.headers['Authorization'])

        for part in ('Credential', 'SignedHeaders'):
            if expected[part] != received[part]:
                return '%s is %r, botocore makes %r' % (part, received[part], expected[part])
        if not hmac.compare_digest(expected['Signature'], received['Signature']):
            return 'the signature is %s, botocore computes %s' % (received['Signature'], expected['Signature'])
        return None


class Server(ThreadingHTTPServer):
    # A fleet started `together` opens its connections at once: a listen backlog of 5 (the default)
    # would drop some of them and the kernel would retry them a second later.
    request_queue_size = 128
    daemon_threads = True


def main():
    server = Server(('127.0.0.1', 0), Handler)
    print('listening on http://127.0.0.1:%d' % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == '__main__':
    main()
