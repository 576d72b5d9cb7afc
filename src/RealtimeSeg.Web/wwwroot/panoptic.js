// The frame message (docs/protocol.md §3) and its segment-id map (§4), decoded in the browser.
import { decode } from './msgpack.js';

/** Decodes a frame message; `map` becomes a Uint16Array of map_w × map_h ids, written into `reuse` when it is big enough. */
export function decodeFrame(bytes, reuse) {
  const f = decode(bytes);
  if (f.v !== 1 && f.v !== 2) throw new Error(`frame message version ${f.v} is not 1 or 2: this viewer is older than its publisher`);
  if (f.type !== 'frame') throw new Error(`expected a frame message, got type '${f.type}'`);
  const n = f.map_w * f.map_h;
  const ids = reuse && reuse.length >= n ? reuse.subarray(0, n) : new Uint16Array(n);
  if (f.enc === 'rle16') decodeRle16(f.map, ids);
  else if (f.enc === 'raw16') decodeRaw16(f.map, ids);
  else throw new Error(`map encoding '${f.enc}' is unknown to this viewer`);
  return {
    stream: f.stream, seq: f.seq, run: f.run || '', utcNs: f.utc_ns || 0, w: f.w || f.map_w, h: f.h || f.map_h,
    mapW: f.map_w, mapH: f.map_h, ids, segs: f.segs || [],
  };
}

function decodeRle16(bin, ids) {
  if (bin.byteLength % 4 !== 0) throw new Error(`rle16 map of ${bin.byteLength} bytes is not a whole number of runs`);
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  let at = 0;
  for (let p = 0; p < bin.byteLength; p += 4) {
    const id = view.getUint16(p, true), len = view.getUint16(p + 2, true);
    if (len === 0 || at + len > ids.length) throw new Error('rle16 runs do not cover the map exactly');
    ids.fill(id, at, at + len);
    at += len;
  }
  if (at !== ids.length) throw new Error(`rle16 runs cover ${at} of ${ids.length} map pixels`);
}

function decodeRaw16(bin, ids) {
  if (bin.byteLength !== ids.length * 2) throw new Error(`raw16 map of ${bin.byteLength} bytes is not 2 × ${ids.length}`);
  const view = new DataView(bin.buffer, bin.byteOffset, bin.byteLength);
  for (let i = 0; i < ids.length; i++) ids[i] = view.getUint16(i * 2, true);
}
