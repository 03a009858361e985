"""Signs requests with botocore, the independent SigV4 implementation the
sigv4temp tests compare against. Reads a JSON list of requests on stdin and
writes a JSON list of results on stdout. Test tooling only."""
import base64
import datetime
import json
import sys
import types

import botocore.auth as auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

FIXED = [None]


class FixedDateTime(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return FIXED[0]

    @classmethod
    def now(cls, tz=None):
        return FIXED[0] if tz is None else FIXED[0].replace(tzinfo=tz)


def fixed_current_datetime(remove_tzinfo=True):
    if remove_tzinfo:
        return FIXED[0]
    return FIXED[0].replace(tzinfo=datetime.timezone.utc)


# botocore before 1.40 reads the time as auth.datetime.datetime.utcnow();
# 1.40 and later through get_current_datetime, imported into botocore.auth
# from botocore.compat. Pin both, whichever this botocore has.
auth.datetime = types.SimpleNamespace(datetime=FixedDateTime)
if hasattr(auth, "get_current_datetime"):
    auth.get_current_datetime = fixed_current_datetime
try:
    import botocore.compat as compat

    if hasattr(compat, "get_current_datetime"):
        compat.get_current_datetime = fixed_current_datetime
except ImportError:
    pass


def sign(case):
    FIXED[0] = datetime.datetime.strptime(case["timestamp"], "%Y%m%dT%H%M%SZ")
    creds = Credentials(case["akid"], case["secret"], case.get("token") or None)
    body = base64.b64decode(case["body"]) if case.get("body") else b""
    headers = [(k, v) for k, v in (case.get("headers") or [])]
    req = AWSRequest(method=case["method"], url=case["url"], data=body)
    for k, v in headers:
        req.headers.add_header(k, v)
    if case.get("express"):
        # S3 Express One Zone (botocore 1.33 and later).
        if case["mode"] == "header":
            auth.S3ExpressAuth(creds, case["service"], case["region"], identity_cache=None).add_auth(req)
            return {"authorization": req.headers["Authorization"]}
        auth.S3ExpressQueryAuth(
            creds, case["service"], case["region"], identity_cache=None, expires=case["expires"]
        ).add_auth(req)
        return {"url": req.url}
    if case["mode"] == "header":
        cls = auth.S3SigV4Auth if case["s3"] else auth.SigV4Auth
        cls(creds, case["service"], case["region"]).add_auth(req)
        return {"authorization": req.headers["Authorization"]}
    cls = auth.S3SigV4QueryAuth if case["s3"] else auth.SigV4QueryAuth
    cls(creds, case["service"], case["region"], expires=case["expires"]).add_auth(req)
    return {"url": req.url}


def main():
    cases = json.load(sys.stdin)
    json.dump([sign(c) for c in cases], sys.stdout)


if __name__ == "__main__":
    main()
