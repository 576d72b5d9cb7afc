// A MessagePack decoder for what docs/protocol.md uses: maps, arrays, strings, bin, integers of every width, float32/64,
// booleans and nil. bin values are views into the message (no copy). 64-bit integers become Numbers (nanosecond times
// lose a few hundred ns of precision past 2^53, which a display does not see).

const utf8 = new TextDecoder();

export function decode(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const state = { pos: 0 };
  const value = read(bytes, view, state);
  if (state.pos !== bytes.byteLength) throw new Error(`msgpack: ${bytes.byteLength - state.pos} bytes after the value`);
  return value;
}

function read(bytes, view, s) {
  if (s.pos >= bytes.byteLength) throw new Error('msgpack: message ends early');
  const t = bytes[s.pos++];
  if (t <= 0x7f) return t;
  if (t >= 0xe0) return t - 0x100;
  if (t >= 0x80 && t <= 0x8f) return readMap(bytes, view, s, t & 0x0f);
  if (t >= 0x90 && t <= 0x9f) return readArray(bytes, view, s, t & 0x0f);
  if (t >= 0xa0 && t <= 0xbf) return readStr(bytes, s, t & 0x1f);
  let n;
  switch (t) {
    case 0xc0: return null;
    case 0xc2: return false;
    case 0xc3: return true;
    case 0xc4: n = view.getUint8(s.pos); s.pos += 1; return readBin(bytes, s, n);
    case 0xc5: n = view.getUint16(s.pos); s.pos += 2; return readBin(bytes, s, n);
    case 0xc6: n = view.getUint32(s.pos); s.pos += 4; return readBin(bytes, s, n);
    case 0xca: n = view.getFloat32(s.pos); s.pos += 4; return n;
    case 0xcb: n = view.getFloat64(s.pos); s.pos += 8; return n;
    case 0xcc: n = view.getUint8(s.pos); s.pos += 1; return n;
    case 0xcd: n = view.getUint16(s.pos); s.pos += 2; return n;
    case 0xce: n = view.getUint32(s.pos); s.pos += 4; return n;
    case 0xcf: n = Number(view.getBigUint64(s.pos)); s.pos += 8; return n;
    case 0xd0: n = view.getInt8(s.pos); s.pos += 1; return n;
    case 0xd1: n = view.getInt16(s.pos); s.pos += 2; return n;
    case 0xd2: n = view.getInt32(s.pos); s.pos += 4; return n;
    case 0xd3: n = Number(view.getBigInt64(s.pos)); s.pos += 8; return n;
    case 0xd9: n = view.getUint8(s.pos); s.pos += 1; return readStr(bytes, s, n);
    case 0xda: n = view.getUint16(s.pos); s.pos += 2; return readStr(bytes, s, n);
    case 0xdb: n = view.getUint32(s.pos); s.pos += 4; return readStr(bytes, s, n);
    case 0xdc: n = view.getUint16(s.pos); s.pos += 2; return readArray(bytes, view, s, n);
    case 0xdd: n = view.getUint32(s.pos); s.pos += 4; return readArray(bytes, view, s, n);
    case 0xde: n = view.getUint16(s.pos); s.pos += 2; return readMap(bytes, view, s, n);
    case 0xdf: n = view.getUint32(s.pos); s.pos += 4; return readMap(bytes, view, s, n);
    default: throw new Error(`msgpack: type 0x${t.toString(16)} at byte ${s.pos - 1} is not used by the protocol`);
  }
}

function readMap(bytes, view, s, count) {
  const map = {};
  for (let i = 0; i < count; i++) {
    const key = read(bytes, view, s);
    map[key] = read(bytes, view, s);
  }
  return map;
}

function readArray(bytes, view, s, count) {
  const array = new Array(count);
  for (let i = 0; i < count; i++) array[i] = read(bytes, view, s);
  return array;
}

function readStr(bytes, s, n) {
  const end = s.pos + n;
  if (end > bytes.byteLength) throw new Error('msgpack: string runs past the message');
  const text = utf8.decode(bytes.subarray(s.pos, end));
  s.pos = end;
  return text;
}

function readBin(bytes, s, n) {
  const end = s.pos + n;
  if (end > bytes.byteLength) throw new Error('msgpack: bin runs past the message');
  const bin = bytes.subarray(s.pos, end);
  s.pos = end;
  return bin;
}
