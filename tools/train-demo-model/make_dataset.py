#!/usr/bin/python3
"""Builds the demo model's training data from `realtimeseg synth export`.

For each seed the synthetic drive is exported at 1280x720 (the demo's size), sampled at `--fps` frames per second of
scene time (3 by default: 36 frames cover the first 12 s of the drive, crossings and stops included, where 30 frames/s
would cover 1.2 s), every `--every`-th frame is kept and brought to the model's input size exactly as the pipeline will:
bilinear resize with half-pixel centres and no antialiasing (OpenCV INTER_LINEAR, which the letterbox uses). Targets
come from the exported COCO panoptic PNGs:

  images.npy     uint8  [N, H, W, 3]  RGB
  semantic.npy   uint8  [N, H/S, W/S] class index (CLASSES order), 255 = void; S = --semantic-stride
  instances.npy  uint16 [N, H/P, W/P] 1-based index into the frame's instance list at prototype resolution, 0 = none;
                                      P = --proto-stride
  boxes.npy      float32 [M, 7]       frame, instance index (1-based), class (0 person, 1 car, 2 bicycle), x0, y0, x1, y1
                                      in input pixels (the visible extent from panoptic.json, scaled)

The arrays are written as memory-mapped .npy files frame by frame (1024x576 frames of 200 seeds are ~6 GB).
Run with Debian's python (/usr/bin/python3). Usage:
  make_dataset.py --cli PATH/realtimeseg --seeds 0-199 --out DIR [--frames 36 --fps 3 --every 2 --size 1024x576]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

# Category ids of the synthetic drive (SyntheticCategories.cs), in semantic-head order.
CATEGORY_IDS = [7, 8, 11, 21, 23, 24, 26, 33, 34]
CLASSES = ["road", "sidewalk", "building", "vegetation", "sky", "person", "car", "bicycle", "lane_marking"]
THING_IDS = [24, 26, 33]  # instance-head classes 0, 1, 2
DENSITIES = [0.3, 0.5, 0.7, 0.9]


def parse_range(text):
    seeds = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-")
            seeds.extend(range(int(a), int(b) + 1))
        else:
            seeds.append(int(part))
    return seeds


def resize_bilinear(rgb, w, h):
    t = torch.from_numpy(np.ascontiguousarray(rgb).copy()).permute(2, 0, 1)[None].float()
    r = F.interpolate(t, size=(h, w), mode="bilinear", align_corners=False)
    return r[0].permute(1, 2, 0).round().clamp(0, 255).byte().numpy()


def sample_nearest(ids, w, h):
    """Nearest sample at each output pixel's centre (the point the composer also samples)."""
    H, W = ids.shape
    ys = np.minimum(((np.arange(h) + 0.5) * H / h).astype(np.int64), H - 1)
    xs = np.minimum(((np.arange(w) + 0.5) * W / w).astype(np.int64), W - 1)
    return ids[ys][:, xs]


def export(cli, seed, frames, fps, out):
    density = DENSITIES[seed % len(DENSITIES)]
    subprocess.run([cli, "synth", "export", "--seed", str(seed), "--frames", str(frames), "--size", "1280x720",
                    "--fps", str(fps), "--density", str(density), "--out", out], check=True, stdout=subprocess.DEVNULL)
    return os.path.join(out, f"synth-drive-seed{seed}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", required=True)
    ap.add_argument("--seeds", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--frames", type=int, default=36)
    ap.add_argument("--fps", type=float, default=3)
    ap.add_argument("--every", type=int, default=2)
    ap.add_argument("--size", default="1024x576")
    ap.add_argument("--semantic-stride", type=int, default=4)
    ap.add_argument("--proto-stride", type=int, default=8)
    args = ap.parse_args()
    W, H = (int(v) for v in args.size.split("x"))
    ss, ps = args.semantic_stride, args.proto_stride
    cat_index = {c: i for i, c in enumerate(CATEGORY_IDS)}
    seeds = parse_range(args.seeds)
    per_seed = len(range(0, args.frames, args.every))
    n_frames = per_seed * len(seeds)
    os.makedirs(args.out, exist_ok=True)
    mm = np.lib.format.open_memmap
    images = mm(os.path.join(args.out, "images.npy"), "w+", np.uint8, (n_frames, H, W, 3))
    semantic = mm(os.path.join(args.out, "semantic.npy"), "w+", np.uint8, (n_frames, H // ss, W // ss))
    instances = mm(os.path.join(args.out, "instances.npy"), "w+", np.uint16, (n_frames, H // ps, W // ps))
    boxes = []
    frame = 0
    for n, seed in enumerate(seeds):
        with tempfile.TemporaryDirectory() as tmp:
            seq = export(args.cli, seed, args.frames, args.fps, tmp)
            with open(os.path.join(seq, "panoptic.json")) as f:
                pan = json.load(f)
            kept = pan["annotations"][::args.every]
            if len(kept) != per_seed:
                sys.exit(f"seed {seed}: synth export wrote {len(pan['annotations'])} frames, expected {args.frames}")
            for ann in kept:
                name = ann["file_name"]
                rgb = np.asarray(Image.open(os.path.join(seq, "img1", name)).convert("RGB"))
                png = np.asarray(Image.open(os.path.join(seq, "panoptic", name)).convert("RGB")).astype(np.int64)
                ids = png[..., 0] + 256 * png[..., 1] + 65536 * png[..., 2]
                sx, sy = W / rgb.shape[1], H / rgb.shape[0]
                images[frame] = resize_bilinear(rgb, W, H)
                sem_ids = sample_nearest(ids, W // ss, H // ss)
                ins_ids = sample_nearest(ids, W // ps, H // ps)
                sem = np.full(sem_ids.shape, 255, np.uint8)
                ins = np.zeros(ins_ids.shape, np.uint16)
                k = 0
                for seg in ann["segments_info"]:
                    cid = seg["category_id"]
                    sem[sem_ids == seg["id"]] = cat_index[cid]
                    if cid in THING_IDS:
                        k += 1
                        ins[ins_ids == seg["id"]] = k
                        x, y, w, h = seg["bbox"]
                        boxes.append([frame, k, THING_IDS.index(cid), x * sx, y * sy, (x + w) * sx, (y + h) * sy])
                semantic[frame] = sem
                instances[frame] = ins
                frame += 1
        print(f"seed {seed}: {frame} frames, {len(boxes)} instances ({n + 1}/{len(seeds)})", flush=True)
    for a in (images, semantic, instances):
        a.flush()
    np.save(os.path.join(args.out, "boxes.npy"), np.asarray(boxes, np.float32).reshape(-1, 7))
    with open(os.path.join(args.out, "dataset.json"), "w") as f:
        json.dump({"seeds": args.seeds, "frames_per_seed": args.frames, "fps": args.fps, "every": args.every, "size": [W, H],
                   "semantic_stride": ss, "proto_stride": ps, "densities": DENSITIES, "classes": CLASSES,
                   "category_ids": CATEGORY_IDS, "frames": frame}, f)


if __name__ == "__main__":
    main()
