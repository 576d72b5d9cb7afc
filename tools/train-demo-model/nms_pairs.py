#!/usr/bin/python3
"""Near-duplicate boxes that survive NMS: the checkpoint's raw head on every --every-th frame of a `synth export`
sequence, score > 0.3, class-aware NMS at --nms; then the same-class pairs still overlapping in [--low, --nms), counted
by the strides of the two boxes and the taller box's height at the sequence's resolution (configs/demo.yaml, NMS).
  nms_pairs.py CHECKPOINT.pt SEQUENCE_DIR [--every 5] [--nms 0.5] [--low 0.4]"""
import argparse
from collections import Counter

import numpy as np
import torch
import torchvision
from PIL import Image

from model import DemoNet, decode_boxes, flatten_levels, grids
from train import xywh_to_xyxy


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoint")
    ap.add_argument("sequence")
    ap.add_argument("--every", type=int, default=5)
    ap.add_argument("--nms", type=float, default=0.5)
    ap.add_argument("--low", type=float, default=0.4)
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.set_flush_denormal(True)
    net = DemoNet()
    net.load_state_dict(torch.load(args.checkpoint))
    net.eval()
    h, w = 576, 1024
    centres, strides = grids(h, w, "cpu")
    pairs, kept, frames = Counter(), 0, 0
    with torch.no_grad():
        for frame in range(1, 10 ** 6, args.every):
            try:
                image = Image.open(f"{args.sequence}/img1/{frame:06d}.png").convert("RGB")
            except FileNotFoundError:
                break
            frames += 1
            scale = w / image.width
            x = torch.from_numpy(np.array(image.resize((w, h), Image.BILINEAR))).permute(2, 0, 1)[None].float() / 255.0
            raw, cls, _ = flatten_levels(net(x)[0])
            boxes = xywh_to_xyxy(decode_boxes(raw, centres, strides))[0]
            score, label = torch.sigmoid(cls)[0].max(-1)
            m = score > 0.3
            b, s, c, st = boxes[m], score[m], label[m], strides[m]
            keep = torchvision.ops.batched_nms(b, s, c, args.nms)
            b, c, st = b[keep], c[keep], st[keep]
            kept += len(b)
            iou = torchvision.ops.box_iou(b, b)
            for i in range(len(b)):
                for j in range(i + 1, len(b)):
                    if c[i] == c[j] and args.low <= iou[i, j] < args.nms:
                        tall = float(max(b[i, 3] - b[i, 1], b[j, 3] - b[j, 1])) / scale
                        size = "< 16 px" if tall < 16 else "16-32 px" if tall < 32 else ">= 32 px"
                        pairs[(min(int(st[i]), int(st[j])), max(int(st[i]), int(st[j])), size)] += 1
    print(f"{frames} frames, {kept} boxes kept at NMS {args.nms}; same-class pairs overlapping {args.low}-{args.nms}: {sum(pairs.values())}")
    for (s1, s2, size), n in sorted(pairs.items(), key=lambda kv: -kv[1]):
        print(f"  strides {s1:2d} + {s2:2d}, taller box {size:>8}: {n}")


if __name__ == "__main__":
    main()
