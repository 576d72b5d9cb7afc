#!/usr/bin/env python3
"""Annotate a MessagePack payload byte by byte, in the format of docs/protocol.md's worked examples.

Reads hex bytes on stdin — plain hex, or the "0000: 8f a1 76 …" dump that ProtocolDocumentTests prints when a
documented example no longer matches the serializer — and prints the annotated block to paste between the
example's <!-- NAME:begin --> and <!-- NAME:end --> markers. The test only reads the hex columns; the text after
'|' is for people, so this tool is the one place that decides how it reads.

    dotnet test tests/RealtimeSeg.Protocol.Tests --filter ProtocolDocumentTests 2>&1 | sed -n '/it writes:/,/^$/p' \\
        | tail -n +2 | tools/protocol-doc/annotate.py

A bin under the key "map" is shown as rle16 runs (4 bytes each); any other bin 12 bytes a line.
"""

import struct
import sys

WIDTH = 12  # bytes per line


class Annotator:
    def __init__(self, data):
        self.data = data
        self.pos = 0
        self.lines = []

    def emit(self, start, end, text, indent):
        """One item: its bytes 12 a line, the text on the first, '(continued)' on the rest."""
        first = True
        for at in range(start, max(end, start + 1), WIDTH):
            chunk = self.data[at:min(end, at + WIDTH)]
            hexes = " ".join(f"{b:02x}" for b in chunk)
            label = text if first else "(continued)"
            self.lines.append(f"{at:04x}: {hexes:<36} | {' ' * indent}{label}")
            first = False

    def take(self, n):
        chunk = self.data[self.pos:self.pos + n]
        if len(chunk) != n:
            raise ValueError(f"payload ends at byte {len(self.data)}, inside an item at {self.pos}")
        self.pos += n
        return chunk

    def scalar(self):
        """Reads one non-container value; returns (kind, value, description), kind in map/array/bin/other."""
        start = self.pos
        b = self.take(1)[0]
        if b <= 0x7F:
            return "other", b, f"positive fixint {b}"
        if b >= 0xE0:
            return "other", b - 0x100, f"negative fixint {b - 0x100}"
        if 0x80 <= b <= 0x8F:
            return "map", b & 0x0F, "map"
        if 0x90 <= b <= 0x9F:
            return "array", b & 0x0F, "array"
        if 0xA0 <= b <= 0xBF:
            s = self.take(b & 0x1F).decode("utf-8")
            return "other", s, f'fixstr "{s}"'
        if b == 0xC0:
            return "other", None, "nil"
        if b in (0xC2, 0xC3):
            return "other", b == 0xC3, "true" if b == 0xC3 else "false"
        sized = {0xC4: ("bin8", ">B"), 0xC5: ("bin16", ">H"), 0xC6: ("bin32", ">I"),
                 0xD9: ("str8", ">B"), 0xDA: ("str16", ">H"), 0xDB: ("str32", ">I"),
                 0xDC: ("array16", ">H"), 0xDD: ("array32", ">I"), 0xDE: ("map16", ">H"), 0xDF: ("map32", ">I")}
        if b in sized:
            name, fmt = sized[b]
            n = struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]
            if name.startswith("bin"):
                return "bin", n, name
            if name.startswith("str"):
                s = self.take(n).decode("utf-8")
                return "other", s, f'{name} "{s}"'
            return ("array" if name.startswith("array") else "map"), n, name
        numbers = {0xCC: ("uint8", ">B"), 0xCD: ("uint16", ">H"), 0xCE: ("uint32", ">I"), 0xCF: ("uint64", ">Q"),
                   0xD0: ("int8", ">b"), 0xD1: ("int16", ">h"), 0xD2: ("int32", ">i"), 0xD3: ("int64", ">q"),
                   0xCA: ("float32", ">f"), 0xCB: ("float64", ">d")}
        if b in numbers:
            name, fmt = numbers[b]
            v = struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]
            return "other", v, f"{name} {short_float(v) if name == 'float32' else v}"
        raise ValueError(f"unsupported MessagePack code 0x{b:02x} at byte {start}")

    def value(self, label, indent, key=None):
        """One value and everything inside it; label is 'name = ' for a map value or '[i] ' for an element."""
        start = self.pos
        kind, n, text = self.scalar()
        if kind == "map":
            self.emit(start, self.pos, f"{label}{text}, {n} {'entry' if n == 1 else 'entries'}", indent)
            self.map_body(n, indent + 4 if label else 0)
        elif kind == "array":
            self.emit(start, self.pos, f"{label}{text}, {n} {'element' if n == 1 else 'elements'}", indent)
            for i in range(n):
                self.value(f"[{i}] ", indent + 2)
        elif kind == "bin":
            self.emit(start, self.pos, f"{label}{text}, {n} bytes follow", indent)
            self.bin_body(n, indent + 2, key)
        else:
            self.emit(start, self.pos, f"{label}{text}", indent)

    def map_body(self, n, indent):
        for _ in range(n):
            start = self.pos
            kind, key, text = self.scalar()
            if kind != "other" or not isinstance(key, str):
                raise ValueError(f"map key at byte {start} is not a string")
            self.emit(start, self.pos, f'key "{key}"', indent)
            self.value(f"{key} = ", indent + 2, key)

    def bin_body(self, n, indent, key):
        end = self.pos + n
        if key == "map" and n % 4 == 0:
            while self.pos < end:
                start = self.pos
                seg_id, length = struct.unpack("<HH", self.take(4))
                self.emit(start, self.pos, f"run: id {seg_id} (uint16 LE), length {length} (uint16 LE)", indent)
            return
        what = "JPEG bytes" if key == "data" else "bytes"
        start = self.pos
        self.take(n)
        for at in range(start, end, WIDTH):
            self.emit(at, min(end, at + WIDTH), what, indent)


def short_float(v):
    """The shortest decimal that reads back as the same float32 (4.2, not 4.199999809265137)."""
    for digits in range(1, 10):
        text = f"{v:.{digits}g}"
        if struct.unpack(">f", struct.pack(">f", float(text)))[0] == v:
            return text
    return repr(v)


def parse_hex(text):
    data = bytearray()
    for line in text.splitlines():
        if "|" in line:
            line = line.split("|", 1)[0]
        if ":" in line:
            line = line.split(":", 1)[1]
        data.extend(bytes.fromhex(line.replace(" ", "")))
    return bytes(data)


def main():
    data = parse_hex(sys.stdin.read())
    a = Annotator(data)
    a.value("", 0)
    if a.pos != len(data):
        raise ValueError(f"{len(data) - a.pos} bytes after the message")
    print("```")
    print("\n".join(a.lines))
    print("```")
    return 0


if __name__ == "__main__":
    sys.exit(main())
