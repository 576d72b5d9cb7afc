#!/usr/bin/env python3
"""Measure how closely `realtimeseg replay` keeps the recorded timing: arrival spacing against media-time spacing.

How docs/benchmarks.md's "Replay timing" figures were made: start this first, then the replay that waits for it, e.g.

    replay_timing.py --connect tcp://127.0.0.1:5599 --speed 1 &
    realtimeseg replay r.mcap --publish tcp://127.0.0.1:5599 --speed 1 --wait-for-subscriber 30

Each frame's arrival is stamped with the monotonic clock on receipt, until the stream's end-of-stream message (one
stream: use --stream with several). Prints, in ms, the p50 / p99 / max of
  - interval error: |(arrival[i] - arrival[i-1]) - (media_ns[i] - media_ns[i-1]) / speed|, what "inter-frame timing
    within X ms of the recorded spacing" means;
  - drift: |(arrival[i] - arrival[0]) - (media_ns[i] - media_ns[0]) / speed|, the schedule error accumulated since the
    first frame.
The receive side adds its own wake-up latency to both, so the figures bound the replay's error from above (Python's
garbage collector is off while frames arrive, so its pauses are not counted against the replay).
"""

import argparse
import gc
import sys
import time

import msgpack
import zmq


def quantile(sorted_values, q):
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connect", default="tcp://127.0.0.1:5556")
    parser.add_argument("--speed", type=float, default=1.0, help="the replay's --speed")
    parser.add_argument("--stream", default="", help="one stream, exact name (default: any; stops at the first end)")
    parser.add_argument("--timeout", type=float, default=120, help="give up after this many seconds without a message")
    args = parser.parse_args()

    sock = zmq.Context.instance().socket(zmq.SUB)
    sock.setsockopt(zmq.RCVHWM, 0)  # never drop here: every frame must be stamped
    sock.setsockopt(zmq.RCVTIMEO, int(args.timeout * 1000))
    frame_topic, end_topic = b"rseg/frame/" + args.stream.encode(), b"rseg/end/" + args.stream.encode()
    sock.subscribe(frame_topic)
    sock.subscribe(end_topic)
    sock.connect(args.connect)
    rows = []
    # The collector's pauses would be the receiver's lateness, not the replay's: it stays off while frames arrive.
    gc.disable()
    while True:
        try:
            topic, payload = sock.recv_multipart()
        except zmq.Again:
            print(f"timed out after {args.timeout} s without a message", file=sys.stderr)
            return 4
        arrived = time.monotonic_ns()
        if args.stream and topic not in (frame_topic, end_topic):
            continue  # a longer name with the same prefix
        if topic.startswith(b"rseg/end/"):
            break
        rows.append((arrived, msgpack.unpackb(payload, raw=False)["media_ns"]))
    if len(rows) < 2:
        print(f"{len(rows)} frames: nothing to measure", file=sys.stderr)
        return 4
    t0, m0 = rows[0]
    drift = sorted(abs((t - t0) - (m - m0) / args.speed) / 1e6 for t, m in rows)
    interval = sorted(abs((rows[i][0] - rows[i - 1][0]) - (rows[i][1] - rows[i - 1][1]) / args.speed) / 1e6
                      for i in range(1, len(rows)))
    print(f"frames {len(rows)}, media span {(rows[-1][1] - m0) / 1e9:.2f} s, wall span {(rows[-1][0] - t0) / 1e9:.2f} s")
    print(f"interval error ms: p50 {quantile(interval, .5):.3f}  p99 {quantile(interval, .99):.3f}  max {interval[-1]:.3f}")
    print(f"drift ms:          p50 {quantile(drift, .5):.3f}  p99 {quantile(drift, .99):.3f}  max {drift[-1]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
