"""Oracle for backoff.Adaptive: botocore's own adaptive-mode objects
(botocore/retries/adaptive.py, throttling.py, bucket.py) driven by a fake
clock. Reads JSON from stdin: a list of sequences, each a list of events
["adv", ns] (the clock moves), ["send"] (before-send: take a token, sleeping
as needed), ["obs", throttled] (needs-retry). Writes, for every event, the
clock in nanoseconds and the bucket's fill rate (null while the limiter is
not enabled). Time starts at 0 when the limiter is built, as in
register_retry_handler."""
import json
import math
import sys

from botocore.retries import adaptive, bucket, throttling


class FakeClock:
    def __init__(self):
        self.ns = 0

    def current_time(self):
        return self.ns / 1e9

    def sleep(self, amount):
        raise AssertionError("TokenBucket sleeps on its condition, not the clock")


class FakeCondition:
    """Stands in for the bucket's threading.Condition: wait(t) moves the
    fake clock by t, rounded up to the nanosecond as the Go side sleeps."""

    def __init__(self, clock):
        self.clock = clock

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def notify(self):
        pass

    def wait(self, timeout):
        self.clock.ns += math.ceil(timeout * 1e9)


class Detector:
    def is_throttling_error(self, **kwargs):
        return kwargs["throttled"]


def build(clock):
    # As register_retry_handler builds it, with the fake clock.
    rate_adjustor = throttling.CubicCalculator(
        starting_max_rate=0, start_time=clock.current_time()
    )
    token_bucket = bucket.TokenBucket(max_rate=1, clock=clock)
    token_bucket._new_fill_rate_condition = FakeCondition(clock)
    rate_clocker = adaptive.RateClocker(clock)
    limiter = adaptive.ClientRateLimiter(
        rate_adjustor=rate_adjustor,
        rate_clocker=rate_clocker,
        token_bucket=token_bucket,
        throttling_detector=Detector(),
        clock=clock,
    )
    return limiter, token_bucket


def run(events):
    clock = FakeClock()
    limiter, token_bucket = build(clock)
    out = []
    for ev in events:
        if ev[0] == "adv":
            clock.ns += ev[1]
        elif ev[0] == "send":
            limiter.on_sending_request(request=None)
        elif ev[0] == "obs":
            limiter.on_receiving_response(throttled=ev[1])
        else:
            raise ValueError(ev)
        rate = token_bucket.max_rate if limiter._enabled else None
        out.append([clock.ns, rate])
    return out


def main():
    seqs = json.load(sys.stdin)
    json.dump([run(s) for s in seqs], sys.stdout)


if __name__ == "__main__":
    main()
