// Draws one stream: the camera image, the panoptic overlay, labels, trails and the heads-up line. The drawing rules
// (docs/viewer.md) are shared with the overlay video, which draws the same in C#.
import { colorFor, cssColor } from './palette.js';

const STUFF_ALPHA = Math.round(0.40 * 255);
const THING_FILL_ALPHA = Math.round(0.25 * 255);
const TRAIL_LENGTH = 20;
const TRAIL_FORGET_FRAMES = 90;

// ImageData is RGBA in memory; as a little-endian Uint32 that is 0xAABBGGRR.
function rgba32(rgb, alpha) {
  return ((alpha & 255) << 24 | (rgb & 255) << 16 | ((rgb >> 8) & 255) << 8 | ((rgb >> 16) & 255)) >>> 0;
}

export class StreamView {
  constructor(index, container) {
    this.index = index;
    this.name = `stream ${index}`;
    this.categories = new Map();
    this.figure = document.createElement('figure');
    this.figure.className = 'view';
    this.figure.id = `view-${index}`;
    this.canvas = document.createElement('canvas');
    this.canvas.width = 640;
    this.canvas.height = 360;
    this.caption = document.createElement('figcaption');
    this.caption.textContent = 'waiting for frames…';
    this.figure.append(this.canvas, this.caption);
    container.append(this.figure);
    this.ctx = this.canvas.getContext('2d');
    this.overlay = document.createElement('canvas');
    this.overlayCtx = this.overlay.getContext('2d');
    this.overlayData = null;
    this.ids = null;
    this.trails = new Map();
    this.drawTimes = [];
    this.stats = { drawn: 0, lastSeq: -1, run: '', fps: 0, latencyMs: 0, dropped: 0, withImage: 0, hud: '', state: '' };
  }

  setMeta(stream) {
    this.name = stream.name;
    this.categories = new Map(stream.categories.map(c => [c.id, c]));
  }

  setState(figures) {
    this.stats.dropped = figures.frames_dropped;
    this.stats.state = figures.state;
  }

  /** Draws `frame` (decoded message) over `image` (an ImageBitmap, or null when the publisher sends no images). */
  draw(frame, image, show) {
    const { w, h } = frame;
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    if (frame.run !== this.stats.run) {
      this.trails.clear();
      this.stats.run = frame.run;
    }
    const ctx = this.ctx;
    if (image) {
      ctx.drawImage(image, 0, 0, w, h);
      this.stats.withImage++;
    } else {
      ctx.fillStyle = '#202020';
      ctx.fillRect(0, 0, w, h);
    }
    const segById = new Map(frame.segs.map(s => [s.id, s]));
    if (show.stuff || show.things) {
      this.drawOverlay(frame, segById, show);
    }
    this.updateTrails(frame);
    if (show.ids) {
      this.drawTrails(ctx);
      this.drawLabels(ctx, frame);
    }
    const now = Date.now();
    this.drawTimes.push(now);
    while (this.drawTimes.length > 0 && this.drawTimes[0] < now - 1000) this.drawTimes.shift();
    this.stats.fps = this.drawTimes.length > 1 ? (this.drawTimes.length - 1) * 1000 / Math.max(1, now - this.drawTimes[0]) : 0;
    this.stats.latencyMs = frame.utcNs > 0 ? Math.max(0, Math.round(now - frame.utcNs / 1e6)) : 0;
    this.stats.drawn++;
    this.stats.lastSeq = frame.seq;
    this.lastSegments = frame.segs;
    this.drawHud(ctx, h);
    this.caption.textContent = `${this.name} · seq ${frame.seq} · ${frame.w}×${frame.h}, map ${frame.mapW}×${frame.mapH}` +
      (image ? '' : ' · no camera image (the publisher sends none)') + (this.stats.state ? ` · ${this.stats.state}` : '');
    this.canvas.dataset.drawn = String(this.stats.drawn);
  }

  drawOverlay(frame, segById, show) {
    const { mapW, mapH, ids } = frame;
    if (this.overlay.width !== mapW || this.overlay.height !== mapH || !this.overlayData) {
      this.overlay.width = mapW;
      this.overlay.height = mapH;
      this.overlayData = this.overlayCtx.createImageData(mapW, mapH);
    }
    // Per segment id: fill and edge colours (0 = transparent), and whether its boundary is outlined.
    let maxId = 0;
    for (const s of frame.segs) maxId = Math.max(maxId, s.id);
    const fill = new Uint32Array(maxId + 1), edge = new Uint32Array(maxId + 1);
    for (const s of frame.segs) {
      const cat = this.categories.get(s.cat);
      const catColor = cat ? cat.color : colorFor(s.cat);
      if (!s.thing) {
        if (show.stuff) fill[s.id] = rgba32(catColor, STUFF_ALPHA);
      } else if (show.things) {
        if (s.track > 0) {
          const c = colorFor(s.track);
          fill[s.id] = rgba32(c, THING_FILL_ALPHA);
          edge[s.id] = rgba32(c, 255);
        } else {
          edge[s.id] = rgba32(catColor, 255);
        }
      }
    }
    const out = new Uint32Array(this.overlayData.data.buffer);
    for (let y = 0, i = 0; y < mapH; y++) {
      for (let x = 0; x < mapW; x++, i++) {
        const id = ids[i];
        if (id === 0 || id > maxId) { out[i] = 0; continue; }
        const e = edge[id];
        if (e !== 0 && ((x > 0 && ids[i - 1] !== id) || (x < mapW - 1 && ids[i + 1] !== id) ||
                        (y > 0 && ids[i - mapW] !== id) || (y < mapH - 1 && ids[i + mapW] !== id))) {
          out[i] = e;
        } else {
          out[i] = fill[id];
        }
      }
    }
    this.overlayCtx.putImageData(this.overlayData, 0, 0);
    const ctx = this.ctx;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.overlay, 0, 0, frame.w, frame.h);
    ctx.imageSmoothingEnabled = true;
  }

  updateTrails(frame) {
    for (const s of frame.segs) {
      if (!s.thing || !(s.track > 0) || !s.centroid) continue;
      let trail = this.trails.get(s.track);
      if (!trail) this.trails.set(s.track, trail = { points: [], lastSeq: frame.seq });
      trail.points.push(s.centroid);
      if (trail.points.length > TRAIL_LENGTH) trail.points.shift();
      trail.lastSeq = frame.seq;
    }
    for (const [track, trail] of this.trails) {
      if (frame.seq - trail.lastSeq > TRAIL_FORGET_FRAMES) this.trails.delete(track);
    }
    this.currentSeq = frame.seq;
  }

  drawTrails(ctx) {
    ctx.lineWidth = 2;
    ctx.lineJoin = 'round';
    for (const [track, trail] of this.trails) {
      if (trail.lastSeq !== this.currentSeq || trail.points.length < 2) continue;
      ctx.strokeStyle = cssColor(colorFor(track));
      ctx.beginPath();
      ctx.moveTo(trail.points[0][0], trail.points[0][1]);
      for (let k = 1; k < trail.points.length; k++) ctx.lineTo(trail.points[k][0], trail.points[k][1]);
      ctx.stroke();
    }
  }

  drawLabels(ctx, frame) {
    const size = Math.max(12, Math.round(frame.h / 48));
    ctx.font = `bold ${size}px sans-serif`;
    ctx.textBaseline = 'top';
    for (const s of frame.segs) {
      if (!s.thing || !s.bbox) continue;
      const cat = this.categories.get(s.cat);
      const name = cat ? cat.name : `class ${s.cat}`;
      const tracked = s.track > 0;
      const text = tracked ? `${name} #${s.track} ${s.age}` : name;
      const color = tracked ? colorFor(s.track) : (cat ? cat.color : colorFor(s.cat));
      const [x, y] = s.bbox;
      const tw = ctx.measureText(text).width;
      ctx.fillStyle = cssColor(color);
      ctx.fillRect(x, y, tw + 6, size + 4);
      ctx.fillStyle = '#fff';
      ctx.fillText(text, x + 3, y + 2);
    }
  }

  drawHud(ctx, h) {
    const size = Math.max(12, Math.round(h / 40));
    const text = `${this.name}  ${this.stats.fps.toFixed(1)} fps  ${this.stats.latencyMs} ms  dropped ${this.stats.dropped}`;
    this.stats.hud = text;
    ctx.font = `${size}px monospace`;
    ctx.textBaseline = 'top';
    const tw = ctx.measureText(text).width;
    ctx.fillStyle = 'rgba(0, 0, 0, 0.6)';
    ctx.fillRect(4, 4, tw + 12, size + 8);
    ctx.fillStyle = '#fff';
    ctx.fillText(text, 10, 8);
  }
}
