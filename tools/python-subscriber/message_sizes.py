#!/usr/bin/env python3
"""Measure the payload sizes a RealtimeSeg publisher sends, per message kind, until every stream has ended.

How docs/protocol.md's "Message sizes" table was made: start this first, then a lockstep run that waits for it, e.g.

    message_sizes.py --connect tcp://127.0.0.1:5556 --images &
    realtimeseg run --config configs/demo.yaml --pace lockstep --max-frames 100 --wait-for-subscriber 30

Prints, per kind (frame, meta, end, image), the count and min / median / p95 / max payload bytes (the MessagePack
part; the topic part adds len("rseg/frame/<stream>") bytes), and for frames the same figures for the map's bin and
the segment count. Lockstep keeps the publisher from dropping for this subscriber; `missed` says if it did anyway.
"""

import argparse
import json
import sys
import time

import msgpack
import zmq

from subscribe import END_PREFIX, FRAME_PREFIX, IMAGE_PREFIX, META_PREFIX, parse_topic


def summary(values):
    """count, min, median, p95 (nearest rank) and max of a list of numbers."""
    v = sorted(values)
    if not v:
        return {"n": 0}
    rank = max(1, -(-95 * len(v) // 100))       # ceil(0.95 n), 1-based
    mid = len(v) // 2
    median = v[mid] if len(v) % 2 else (v[mid - 1] + v[mid]) / 2
    return {"n": len(v), "min": v[0], "median": median, "p95": v[rank - 1], "max": v[-1]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connect", default="tcp://127.0.0.1:5556")
    parser.add_argument("--images", action="store_true", help="subscribe to rseg/image/ too")
    parser.add_argument("--timeout", type=float, default=120, help="give up after this many seconds without a message")
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    args = parser.parse_args()

    sock = zmq.Context.instance().socket(zmq.SUB)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(args.connect)
    for prefix in [FRAME_PREFIX, META_PREFIX, END_PREFIX] + ([IMAGE_PREFIX] if args.images else []):
        sock.setsockopt(zmq.SUBSCRIBE, prefix)

    sizes = {"frame": [], "meta": [], "end": [], "image": []}
    map_bytes, segments, jpeg_sizes = [], [], set()
    seen, ended, last_seq = set(), set(), {}
    missed = 0
    last_at = time.monotonic()
    while not (seen and seen <= ended):
        if not sock.poll(100):
            if time.monotonic() - last_at > args.timeout:
                print(f"no message for {args.timeout} s; streams not ended: {sorted(seen - ended)}", file=sys.stderr)
                return 4
            continue
        last_at = time.monotonic()
        topic, payload = sock.recv_multipart()
        kind_stream = parse_topic(topic)
        if kind_stream is None:
            continue
        kind, stream = kind_stream
        seen.add(stream)
        sizes[kind].append(len(payload))
        msg = msgpack.unpackb(payload, raw=False)
        if kind == "end":
            ended.add(stream)
        elif kind == "frame":
            map_bytes.append(len(msg["map"]))
            segments.append(len(msg.get("segs", [])))
            if stream in last_seq:
                missed += msg["seq"] - last_seq[stream] - 1
            last_seq[stream] = msg["seq"]
        elif kind == "image":
            jpeg_sizes.add((msg["w"], msg["h"]))

    result = {kind: summary(v) for kind, v in sizes.items()}
    result["frame_map_bin"] = summary(map_bytes)
    result["frame_segments"] = summary(segments)
    result["image_sizes"] = sorted(jpeg_sizes)
    result["frames_missed"] = missed
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"{'what':<16} {'n':>5} {'min':>8} {'median':>8} {'p95':>8} {'max':>8}")
    for name, s in result.items():
        if isinstance(s, dict) and s.get("n"):
            print(f"{name:<16} {s['n']:>5} {s['min']:>8} {s['median']:>8} {s['p95']:>8} {s['max']:>8}")
    print(f"frames missed: {missed}; image sizes: {result['image_sizes']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
