#!/usr/bin/env python3
"""Subscribe to a RealtimeSeg publisher and print panoptic frames.

Written from docs/protocol.md alone (schema version 1): ZeroMQ SUB socket, two-part messages
[topic, MessagePack payload], topics rseg/frame/<stream> and rseg/meta/<stream>.

Needs pyzmq and msgpack (Debian: apt-get install python3-zmq python3-msgpack).

    subscribe.py --connect tcp://127.0.0.1:5556 --count 10 --json

With --json, prints one JSON object per frame on stdout (the fields of `realtimeseg subscribe --json`,
plus the map's SHA-256 so other tools can compare maps). Without it, prints a one-line summary per frame.
Exit codes: 0 done, 2 bad usage, 3 modules missing, 4 timed out waiting for frames.
"""

import argparse
import hashlib
import json
import struct
import sys
import time
from array import array

try:
    import msgpack
    import zmq
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"subscribe.py needs pyzmq and msgpack ({e}); on Debian: apt-get install python3-zmq python3-msgpack",
          file=sys.stderr)
    sys.exit(3)

SCHEMA_VERSION = 1
FRAME_PREFIX = b"rseg/frame/"
META_PREFIX = b"rseg/meta/"


class ProtocolError(Exception):
    pass


def decode_map(msg):
    """Returns the segment-id map as an array('H') of map_w * map_h ids, row-major (docs §4)."""
    width, height, enc, data = msg["map_w"], msg["map_h"], msg["enc"], msg["map"]
    size = width * height
    if enc == "rle16":
        if len(data) % 4:
            raise ProtocolError("rle16 data length is not a multiple of 4")
        ids = array("H")
        for seg_id, length in struct.iter_unpack("<HH", data):
            if length == 0:
                raise ProtocolError("rle16 run of length 0")
            ids.extend(array("H", [seg_id]) * length)
        if len(ids) != size:
            raise ProtocolError(f"rle16 runs cover {len(ids)} pixels, map has {size}")
        return ids
    if enc == "raw16":
        if len(data) != 2 * size:
            raise ProtocolError(f"raw16 data is {len(data)} bytes, expected {2 * size}")
        ids = array("H")
        ids.frombytes(data)
        if sys.byteorder == "big":
            ids.byteswap()
        return ids
    raise ProtocolError(f"unsupported map encoding {enc!r}")


def map_sha256(ids):
    """SHA-256 of the map as uint16 little-endian bytes, row-major."""
    if sys.byteorder == "big":
        ids = array("H", ids)
        ids.byteswap()
    return hashlib.sha256(ids.tobytes()).hexdigest()


def check_version(msg, kind):
    if msg.get("v") != SCHEMA_VERSION:
        raise ProtocolError(f"{kind} message has schema version {msg.get('v')!r}, this subscriber knows {SCHEMA_VERSION}")
    if msg.get("type") != kind:
        raise ProtocolError(f"expected type {kind!r}, got {msg.get('type')!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connect", default="tcp://127.0.0.1:5556", help="publisher endpoint")
    parser.add_argument("--stream", help="only this stream (exact name); default: all streams")
    parser.add_argument("--count", type=int, default=0, help="exit after this many frames (0 = run until interrupted)")
    parser.add_argument("--json", action="store_true", help="one JSON object per frame on stdout")
    parser.add_argument("--dump-map", action="store_true", help="include the decoded map (list of ids) in the JSON")
    parser.add_argument("--timeout", type=float, default=0, help="give up (exit 4) after this many seconds without a frame")
    args = parser.parse_args()

    sock = zmq.Context.instance().socket(zmq.SUB)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(args.connect)
    if args.stream:
        # Prefix filtering would also match longer names (s1 -> s10): topics are compared exactly below.
        sock.setsockopt(zmq.SUBSCRIBE, FRAME_PREFIX + args.stream.encode())
        sock.setsockopt(zmq.SUBSCRIBE, META_PREFIX + args.stream.encode())
    else:
        sock.setsockopt(zmq.SUBSCRIBE, b"rseg/")

    tables = {}          # (stream, cat_ver) -> {category id: category}
    last_seq = {}        # stream -> last sequence number, for gap counting
    missed = 0
    frames = 0
    malformed = 0
    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)
    last_frame_at = time.monotonic()

    while args.count == 0 or frames < args.count:
        if not poller.poll(100):
            if args.timeout and time.monotonic() - last_frame_at > args.timeout:
                print(f"no frame for {args.timeout} s from {args.connect}", file=sys.stderr)
                return 4
            continue
        parts = sock.recv_multipart()
        if len(parts) < 2:
            continue
        topic, payload = parts[0], parts[1]
        if topic.startswith(META_PREFIX):
            kind, stream = "meta", topic[len(META_PREFIX):].decode()
        elif topic.startswith(FRAME_PREFIX):
            kind, stream = "frame", topic[len(FRAME_PREFIX):].decode()
        else:
            continue
        if args.stream and stream != args.stream:
            continue
        try:
            msg = msgpack.unpackb(payload, raw=False)
            check_version(msg, kind)
            if kind == "meta":
                tables[(msg["stream"], msg["cat_ver"])] = {c["id"]: c for c in msg["cats"]}
                continue
            ids = decode_map(msg)
        except (ProtocolError, KeyError, TypeError, ValueError, msgpack.UnpackException) as e:
            malformed += 1
            print(f"skipped a malformed {kind} message on {topic.decode(errors='replace')}: {e}", file=sys.stderr)
            continue

        received_ns = time.time_ns()
        frames += 1
        last_frame_at = time.monotonic()
        seq = msg["seq"]
        if stream in last_seq and seq > last_seq[stream] + 1:
            missed += seq - last_seq[stream] - 1
        last_seq[stream] = seq
        categories = tables.get((msg["stream"], msg.get("cat_ver", 0)))
        utc_ns = msg.get("utc_ns", 0)
        segments = []
        for s in msg.get("segs", []):
            category = categories.get(s.get("cat", 0)) if categories else None
            segments.append({
                "id": s["id"],
                "category": s.get("cat", 0),
                "category_name": category["name"] if category else None,
                "is_thing": s.get("thing", False),
                "track_id": s.get("track", 0),
                "score": s.get("score", 0.0),
                "bbox": list(s.get("bbox", [0, 0, 0, 0])),
                "area": s.get("area", 0),
                "centroid": list(s.get("centroid", [0, 0])),
                "velocity": list(s.get("vel", [0, 0])),
                "age": s.get("age", 0),
                "box_mask": bool(s.get("flags", 0) & 1),
            })
        record = {
            "stream": msg["stream"],
            "seq": seq,
            "width": msg.get("w", 0),
            "height": msg.get("h", 0),
            "map_width": msg["map_w"],
            "map_height": msg["map_h"],
            "encoding": msg["enc"],
            "capture_time_unix_ns": utc_ns,
            "latency_ms": (received_ns - utc_ns) / 1e6 if utc_ns else None,
            "stage_ns": list(msg.get("stage_ns", [])),
            "category_table_version": msg.get("cat_ver", 0),
            "has_categories": categories is not None,
            "map_sha256": map_sha256(ids),
            "missed": missed,
            "segments": segments,
        }
        if args.dump_map:
            record["map"] = list(ids)
        if args.json:
            print(json.dumps(record), flush=True)
        else:
            names = ", ".join(f"{s['category_name'] or s['category']}#{s['track_id']}" for s in segments if s["is_thing"])
            print(f"{record['stream']} seq {seq} {msg['map_w']}x{msg['map_h']} {len(segments)} segments "
                  f"latency {record['latency_ms'] or 0:.1f} ms missed {missed}: {names}", flush=True)
    if malformed:
        print(f"{malformed} malformed messages skipped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
