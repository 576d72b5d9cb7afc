// The live viewer: one WebSocket (/ws) that brings each stream's newest frame as [header | JPEG | frame message]
// (docs/viewer.md), decoded and drawn here. After handling a frame the page sends "a" (one credit back): the server
// sends at most two frames ahead of what this page has drawn, so a slow page gets fewer frames, never older ones.
import { decodeFrame } from './panoptic.js';
import { StreamView } from './render.js';
import { colorFor } from './palette.js';

const HEADER_BYTES = 24;
const views = new Map();          // stream index → StreamView
const pending = new Map();        // stream index → newest undrawn packet (ArrayBuffer)
const show = { stuff: true, things: true, ids: true };
const state = { socket: null, busy: false, paused: false, selection: '*', skippedHere: 0, client: null, connected: false, errors: 0, lastError: '' };
const container = document.getElementById('views');
const select = document.getElementById('stream-select');
const status = document.getElementById('status');

// For tests and the curious: what has been drawn, per stream, the palette function the C# side must match, and a
// promise of the next drawn frame (so a test waits on drawing, not on time).
const drawWaiters = [];
window.rseg = {
  views, state, colorFor,
  streams: () => Object.fromEntries([...views.values()].map(v => [v.name, { ...v.stats }])),
  nextDraw: () => new Promise(resolve => drawWaiters.push(resolve)),
};

for (const key of Object.keys(show)) {
  const box = document.getElementById(`show-${key}`);
  box.addEventListener('change', () => { show[key] = box.checked; });
}
document.getElementById('pause').addEventListener('click', e => {
  state.paused = !state.paused;
  e.target.textContent = state.paused ? 'resume' : 'pause';
  sendSelection();
});
select.addEventListener('change', () => {
  state.selection = select.value;
  container.classList.toggle('single', state.selection !== '*');
  for (const v of views.values()) v.figure.classList.toggle('hidden', state.selection !== '*' && String(v.index) !== state.selection);
  sendSelection();
});

function sendSelection() {
  if (state.socket && state.socket.readyState === WebSocket.OPEN) {
    state.socket.send(state.paused ? 's -' : `s ${state.selection}`);
  }
}

function connect() {
  const url = new URL('ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  state.socket = socket;
  socket.onopen = () => { state.connected = true; sendSelection(); updateStatus(); };
  socket.onclose = () => {
    state.connected = false;
    pending.clear();
    state.busy = false;
    updateStatus();
    setTimeout(connect, 1000);
  };
  socket.onmessage = e => {
    if (typeof e.data === 'string') onText(JSON.parse(e.data));
    else onPacket(e.data);
  };
}

function onText(message) {
  if (message.type === 'meta') {
    for (const s of message.streams) {
      let view = views.get(s.index);
      if (!view) {
        view = new StreamView(s.index, container);
        views.set(s.index, view);
        const option = document.createElement('option');
        option.value = String(s.index);
        option.textContent = s.name;
        select.append(option);
      }
      view.setMeta(s);
      for (const option of select.options) if (option.value === String(s.index)) option.textContent = s.name;
    }
  } else if (message.type === 'stats') {
    for (const s of message.streams) views.get(s.index)?.setState(s);
    state.client = message.client;
  }
  updateStatus();
}

function onPacket(buffer) {
  const header = new DataView(buffer, 0, HEADER_BYTES);
  const stream = header.getUint16(2, true);
  const older = pending.get(stream);
  if (older) {
    // A newer frame of the stream came before the older one was drawn: draw only the newer; the server gets its credit back.
    state.skippedHere++;
    ack();
  }
  pending.set(stream, buffer);
  if (!state.busy) drawPending();
}

function ack() {
  if (state.socket && state.socket.readyState === WebSocket.OPEN) state.socket.send('a');
}

async function drawPending() {
  state.busy = true;
  try {
    while (pending.size > 0) {
      const [stream, buffer] = pending.entries().next().value;
      pending.delete(stream);
      try {
        if (await drawPacket(stream, buffer)) {
          for (const resolve of drawWaiters.splice(0)) resolve(window.rseg.streams());
        }
      } catch (err) {
        state.errors++;
        state.lastError = String(err && err.message || err);
        console.error('viewer: cannot draw a frame of stream', stream, err);
      } finally {
        ack();
      }
    }
  } finally {
    state.busy = false;
  }
}

async function drawPacket(stream, buffer) {
  const header = new DataView(buffer, 0, HEADER_BYTES);
  if (header.getUint8(0) !== 1) return false;                // not a frame packet: newer server, ignore
  const jpegLength = header.getUint32(4, true), messageLength = header.getUint32(8, true);
  const view = views.get(stream);
  if (!view || state.paused) return false;
  const message = new Uint8Array(buffer, HEADER_BYTES + jpegLength, messageLength);
  const frame = decodeFrame(message, view.ids);
  if (!view.ids || frame.ids.buffer !== view.ids.buffer) view.ids = frame.ids;   // reuse the map buffer for the next frame
  let image = null;
  if (jpegLength > 0) {
    image = await createImageBitmap(new Blob([new Uint8Array(buffer, HEADER_BYTES, jpegLength)], { type: 'image/jpeg' }));
  }
  try {
    view.draw(frame, image, show);
  } finally {
    image?.close();
  }
  return true;
}

function updateStatus() {
  if (!state.connected) {
    status.textContent = 'not connected (retrying)…';
    return;
  }
  const parts = [`connected · ${views.size} stream${views.size === 1 ? '' : 's'}`];
  if (state.paused) parts.push('paused');
  if (state.client) parts.push(`${state.client.frames_skipped} frames skipped for this page (it was slower than the stream)`);
  if (state.errors) parts.push(`${state.errors} frames could not be drawn: ${state.lastError}`);
  status.textContent = parts.join(' · ');
}

connect();
