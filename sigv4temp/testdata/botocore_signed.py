"""Signs requests with botocore and returns the whole signed request (URL
and headers), for TestVerifyBotocore: the Verifier must accept what botocore
signs. Same input as botocore_sign.py, whose clock pinning it reuses (a JSON
list on stdin); writes a JSON list of {"url", "headers": [[name, value], ...]}
on stdout. Test tooling only."""
import base64
import datetime
import json
import sys

import botocore_sign  # pins botocore's clock to botocore_sign.FIXED[0]
from botocore import auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def sign(case):
    botocore_sign.FIXED[0] = datetime.datetime.strptime(case["timestamp"], "%Y%m%dT%H%M%SZ")
    creds = Credentials(case["akid"], case["secret"], case.get("token") or None)
    body = base64.b64decode(case["body"]) if case.get("body") else b""
    req = AWSRequest(method=case["method"], url=case["url"], data=body)
    for k, v in case.get("headers") or []:
        req.headers.add_header(k, v)
    if case["mode"] == "header":
        cls = auth.S3SigV4Auth if case["s3"] else auth.SigV4Auth
        cls(creds, case["service"], case["region"]).add_auth(req)
    else:
        cls = auth.S3SigV4QueryAuth if case["s3"] else auth.SigV4QueryAuth
        cls(creds, case["service"], case["region"], expires=case["expires"]).add_auth(req)
    return {"url": req.url, "headers": [[k, v] for k, v in req.headers.items()]}


def main():
    json.dump([sign(c) for c in json.load(sys.stdin)], sys.stdout)


if __name__ == "__main__":
    main()
