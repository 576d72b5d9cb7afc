#!/usr/bin/env python3
"""Subscribe to a RealtimeSeg publisher and print panoptic frames.

Written from docs/protocol.md alone (schema version 2; version 1 messages are read too): ZeroMQ SUB socket,
two-part messages [topic, MessagePack payload], topics rseg/frame/<stream>, rseg/meta/<stream>,
rseg/end/<stream> and (only with --images) rseg/image/<stream>.

Needs pyzmq and msgpack (Debian: apt-get install python3-zmq python3-msgpack); numpy, when present, only makes
map decoding faster.

    subscribe.py --connect tcp://127.0.0.1:5556 --count 10 --json
    subscribe.py --exit-on-end --images /tmp/frames        # until every stream seen has ended; keep the JPEGs
    subscribe.py --latest --slow 0.5                       # a slow consumer that always works on the newest frame
    subscribe.py --connect tcp://robot:5556 --server-key keys/server.key   # a publisher run with --curve-secret

With --json, prints one JSON object per frame on stdout (the fields of `realtimeseg subscribe --json`, plus `run`,
`media_ns`, the schema version `v` and the map's SHA-256 so other tools can compare maps). Without it, prints a
one-line summary per frame. End-of-stream messages are reported on stderr, one line each.
Exit codes: 0 done, 2 bad usage, 3 modules missing, 4 timed out waiting for frames.
"""

import argparse
import hashlib
import json
import os
import re
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

try:
    import numpy
except ImportError:  # optional
    numpy = None

SCHEMA_VERSIONS = (1, 2)
FRAME_PREFIX = b"rseg/frame/"
META_PREFIX = b"rseg/meta/"
END_PREFIX = b"rseg/end/"
IMAGE_PREFIX = b"rseg/image/"
STREAM_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")
KINDS = ((FRAME_PREFIX, "frame"), (META_PREFIX, "meta"), (END_PREFIX, "end"), (IMAGE_PREFIX, "image"))


class ProtocolError(Exception):
    pass


def parse_topic(topic):
    """Returns (kind, stream) for a protocol topic, or None for a topic this version does not know (ignore it)."""
    for prefix, kind in KINDS:
        if topic.startswith(prefix) and len(topic) > len(prefix):
            return kind, topic[len(prefix):].decode("utf-8", errors="replace")
    return None


def decode_map(msg):
    """Returns the segment-id map as a sequence of map_w * map_h uint16 ids, row-major (docs §4)."""
    width, height, enc, data = msg["map_w"], msg["map_h"], msg["enc"], msg["map"]
    size = width * height
    if enc == "rle16":
        if len(data) % 4:
            raise ProtocolError("rle16 data length is not a multiple of 4")
        if numpy is not None:
            runs = numpy.frombuffer(data, dtype="<u2").reshape(-1, 2)
            if (runs[:, 1] == 0).any():
                raise ProtocolError("rle16 run of length 0")
            ids = numpy.repeat(runs[:, 0], runs[:, 1].astype(numpy.int64))
        else:
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
        if numpy is not None:
            return numpy.frombuffer(data, dtype="<u2")
        ids = array("H")
        ids.frombytes(data)
        if sys.byteorder == "big":
            ids.byteswap()
        return ids
    raise ProtocolError(f"unsupported map encoding {enc!r}")


def map_sha256(ids):
    """SHA-256 of the map as uint16 little-endian bytes, row-major."""
    if numpy is not None and isinstance(ids, numpy.ndarray):
        return hashlib.sha256(ids.astype("<u2").tobytes()).hexdigest()
    if sys.byteorder == "big":
        ids = array("H", ids)
        ids.byteswap()
    return hashlib.sha256(ids.tobytes()).hexdigest()


def check_envelope(msg, kind):
    if not isinstance(msg, dict):
        raise ProtocolError(f"payload is a {type(msg).__name__}, not a map")
    if msg.get("v") not in SCHEMA_VERSIONS:
        raise ProtocolError(f"{kind} message has schema version {msg.get('v')!r}, this subscriber knows {SCHEMA_VERSIONS}")
    if msg.get("type") != kind:
        raise ProtocolError(f"expected type {kind!r}, got {msg.get('type')!r}")


class Subscriber:
    """The subscriber's state: category tables, gap counting, ended streams, saved images."""

    def __init__(self, args):
        self.args = args
        self.tables = {}        # (stream, cat_ver) -> {category id: category}
        self.last_seq = {}      # stream -> last frame seq, for gap counting
        self.seen = set()       # streams any message was received for
        self.ended = {}         # stream -> run of its end-of-stream message
        self.images = {}        # (stream, seq) -> path of the saved JPEG, until its frame arrives
        self.missed = 0
        self.superseded = 0     # --latest: frames read but skipped because a newer one was already queued
        self.frames = 0
        self.malformed = 0

    def all_ended(self):
        return bool(self.seen) and self.seen <= self.ended.keys()

    def handle(self, kind, stream, topic, payload):
        """Decodes and handles one message; returns True when it was a frame that was printed."""
        try:
            msg = msgpack.unpackb(payload, raw=False)
            check_envelope(msg, kind)
            if msg.get("stream", stream) != stream:
                raise ProtocolError(f"stream {msg.get('stream')!r} differs from the topic's {stream!r}")
            self.seen.add(stream)
            if kind == "meta":
                self.tables[(stream, msg["cat_ver"])] = {c["id"]: c for c in msg["cats"]}
                return False
            if kind == "end":
                self.on_end(stream, msg)
                return False
            if kind == "image":
                self.on_image(stream, msg)
                return False
            ids = decode_map(msg)
        except (ProtocolError, KeyError, TypeError, ValueError, AttributeError, msgpack.UnpackException) as e:
            self.malformed += 1
            print(f"skipped a malformed {kind} message on {topic.decode(errors='replace')}: {e}", file=sys.stderr)
            return False
        self.on_frame(stream, msg, ids)
        return True

    def on_end(self, stream, msg):
        self.ended[stream] = msg.get("run", "")
        print(f"end of stream {stream}: {msg['reason']} (run {msg.get('run', '')}, last seq {msg.get('last_seq', -1)}, "
              f"{msg.get('frames', 0)} frames)", file=sys.stderr, flush=True)

    def on_image(self, stream, msg):
        data = msg["data"]
        if not isinstance(data, bytes) or not data:
            raise ProtocolError("image data is not a non-empty bin")
        if not STREAM_NAME.fullmatch(stream):
            raise ProtocolError(f"stream name {stream!r} is not 1-64 characters of A-Z a-z 0-9 _ . -")
        path = os.path.join(self.args.images, f"{stream}-{msg['seq']:08d}.jpg")
        with open(path, "wb") as f:
            f.write(data)
        # Sent just before its frame: keep only the newest few in case a frame was dropped.
        self.images[(stream, msg["seq"])] = path
        while len(self.images) > 64:
            del self.images[next(iter(self.images))]

    def on_frame(self, stream, msg, ids):
        received_ns = time.time_ns()
        self.frames += 1
        seq = msg["seq"]
        run = msg.get("run", "")
        if stream in self.ended and self.ended[stream] != run:
            del self.ended[stream]      # a new run of the publisher restarted the stream
        if stream in self.last_seq and seq > self.last_seq[stream] + 1:
            self.missed += seq - self.last_seq[stream] - 1
        self.last_seq[stream] = seq
        categories = self.tables.get((stream, msg.get("cat_ver", 0)))
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
            "v": msg["v"],
            "stream": stream,
            "run": run,
            "seq": seq,
            "media_ns": msg.get("media_ns", -1),
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
            "missed": self.missed,
            "superseded": self.superseded,
            "image_file": self.images.pop((stream, seq), None),
            "segments": segments,
        }
        if self.args.dump_map:
            record["map"] = [int(i) for i in ids]
        if self.args.json:
            print(json.dumps(record), flush=True)
        else:
            names = ", ".join(f"{s['category_name'] or s['category']}#{s['track_id']}" for s in segments if s["is_thing"])
            media = f"{record['media_ns'] / 1e9:.3f} s" if record["media_ns"] >= 0 else "?"
            print(f"{stream} seq {seq} media {media} {msg['map_w']}x{msg['map_h']} {len(segments)} segments "
                  f"latency {record['latency_ms'] or 0:.1f} ms missed {self.missed}: {names}", flush=True)


def subscribe(sock, args):
    """One subscription per message kind (docs §1), so image messages only travel when asked for."""
    kinds = [FRAME_PREFIX, META_PREFIX, END_PREFIX] + ([IMAGE_PREFIX] if args.images else [])
    # Prefix filtering would also match longer names (s1 -> s10): topics are compared exactly on receipt.
    suffix = args.stream.encode() if args.stream else b""
    for prefix in kinds:
        sock.setsockopt(zmq.SUBSCRIBE, prefix + suffix)


def receive_all_queued(sock):
    """--latest: every message already queued, without waiting (the socket was just reported readable)."""
    messages = []
    while True:
        try:
            messages.append(sock.recv_multipart(zmq.NOBLOCK))
        except zmq.Again:
            return messages


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connect", default="tcp://127.0.0.1:5556", help="publisher endpoint")
    parser.add_argument("--stream", help="only this stream (exact name); default: all streams")
    parser.add_argument("--count", type=int, default=0, help="exit after this many frames (0 = run until interrupted)")
    parser.add_argument("--json", action="store_true", help="one JSON object per frame on stdout")
    parser.add_argument("--dump-map", action="store_true", help="include the decoded map (list of ids) in the JSON")
    parser.add_argument("--timeout", type=float, default=0, help="give up (exit 4) after this many seconds without a frame")
    parser.add_argument("--exit-on-end", action="store_true",
                        help="exit once every stream seen (frame, meta or image) has sent its end-of-stream message")
    parser.add_argument("--images", metavar="DIR",
                        help="also subscribe to rseg/image/ and save each JPEG as DIR/<stream>-<seq>.jpg")
    parser.add_argument("--latest", action="store_true",
                        help="read only the newest frame: drain the socket, keep the last frame per stream, skip the rest")
    parser.add_argument("--rcvhwm", type=int, default=0,
                        help="ZeroMQ receive high-water mark in messages (default: ZeroMQ's 1000)")
    parser.add_argument("--server-key", metavar="FILE",
                        help="the publisher's CURVE public certificate (server.key from `realtimeseg keys generate`) "
                             "when it publishes with --curve-secret; without it such a publisher sends nothing")
    parser.add_argument("--slow", type=float, default=0, help="pretend each frame takes this many seconds to process")
    args = parser.parse_args()
    if args.stream is not None and not STREAM_NAME.fullmatch(args.stream):
        parser.error(f"--stream {args.stream!r}: a stream name is 1-64 characters of A-Z a-z 0-9 _ . -")
    if args.images:
        os.makedirs(args.images, exist_ok=True)

    sock = zmq.Context.instance().socket(zmq.SUB)
    sock.setsockopt(zmq.LINGER, 0)
    if args.rcvhwm > 0:
        sock.setsockopt(zmq.RCVHWM, args.rcvhwm)
    if args.server_key:
        # CURVE (docs/security.md): the client authenticates the publisher by its public key and the stream is
        # encrypted. The client's own key pair is throw-away: the publisher does not check clients' keys.
        from zmq.auth import load_certificate
        server_public, _ = load_certificate(args.server_key)
        sock.curve_serverkey = server_public
        sock.curve_publickey, sock.curve_secretkey = zmq.curve_keypair()
    sock.connect(args.connect)
    subscribe(sock, args)

    state = Subscriber(args)
    poller = zmq.Poller()
    poller.register(sock, zmq.POLLIN)
    last_frame_at = time.monotonic()

    def done():
        return (args.count and state.frames >= args.count) or (args.exit_on_end and state.all_ended())

    while not done():
        if not poller.poll(100):
            if args.timeout and time.monotonic() - last_frame_at > args.timeout:
                print(f"no frame for {args.timeout} s from {args.connect}", file=sys.stderr)
                return 4
            continue
        batch = receive_all_queued(sock) if args.latest else [sock.recv_multipart()]
        newest = {}             # --latest: stream -> index in batch of its newest frame
        parsed = []
        for parts in batch:
            kind_stream = parse_topic(parts[0]) if len(parts) == 2 else None
            if kind_stream is None or (args.stream and kind_stream[1] != args.stream):
                parsed.append(None)
                continue
            parsed.append(kind_stream)
            if kind_stream[0] == "frame":
                if kind_stream[1] in newest:
                    state.superseded += 1
                newest[kind_stream[1]] = len(parsed) - 1
        for i, parts in enumerate(batch):
            if parsed[i] is None:
                continue
            kind, stream = parsed[i]
            if kind == "frame" and newest.get(stream) != i:
                continue
            if state.handle(kind, stream, parts[0], parts[1]):
                last_frame_at = time.monotonic()
                if args.slow:
                    time.sleep(args.slow)
            if done():
                break
    if state.malformed:
        print(f"{state.malformed} malformed messages skipped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
