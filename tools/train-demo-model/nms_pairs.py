#!/usr/bin/python3
"""Near-duplicate boxes that survive NMS: the checkpoint's raw head on every --every-th frame of a `synth export`
sequence, score > 0.3, class-aware NMS at --nms; then the same-class pairs still overlapping in [--low, --nms), counted
by the strides of the two boxes and the taller box's height at the sequence's resolution (configs/demo.yaml, NMS).
  nms_pairs.py CHECKPOINT.pt SEQUENCE_DIR [--every 5] [--nms 0.5] [--low 0.4]"""
import argparse
from collections import Counter

import torchvision

from raw_head import RawHead


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoint")
    ap.add_argument("sequence")
    ap.add_argument("--every", type=int, default=5)
    ap.add_argument("--nms", type=float, default=0.5)
    ap.add_argument("--low", type=float, default=0.4)
    args = ap.parse_args()
    head = RawHead(args.checkpoint)
    pairs, kept, frames = Counter(), 0, 0
    for frame in range(1, 10 ** 6, args.every):
        raw = head.frame(args.sequence, frame)
        if raw is None:
            break
        frames += 1
        boxes, score, label, strides = raw
        m = score > 0.3
        b, s, c, st = boxes[m], score[m], label[m], strides[m]
        keep = torchvision.ops.batched_nms(b, s, c, args.nms)
        b, c, st = b[keep], c[keep], st[keep]
        kept += len(b)
        iou = torchvision.ops.box_iou(b, b)
        for i in range(len(b)):
            for j in range(i + 1, len(b)):
                if c[i] == c[j] and args.low <= iou[i, j] < args.nms:
                    tall = float(max(b[i, 3] - b[i, 1], b[j, 3] - b[j, 1]))
                    size = "< 16 px" if tall < 16 else "16-32 px" if tall < 32 else ">= 32 px"
                    pairs[(min(int(st[i]), int(st[j])), max(int(st[i]), int(st[j])), size)] += 1
    print(f"{frames} frames, {kept} boxes kept at NMS {args.nms}; same-class pairs overlapping {args.low}-{args.nms}: {sum(pairs.values())}")
    for (s1, s2, size), n in sorted(pairs.items(), key=lambda kv: -kv[1]):
        print(f"  strides {s1:2d} + {s2:2d}, taller box {size:>8}: {n}")


if __name__ == "__main__":
    main()
