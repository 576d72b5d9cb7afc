#!/usr/bin/python3
"""Why the pipeline misses visible objects: for every visible ground-truth object (gt.txt visibility >= 0.5) of every
--every-th frame, whether the pipeline's MOT dump has a box at IoU >= 0.5, and the best raw-head score of the
checkpoint (no NMS, no tracker) among its boxes at IoU >= 0.5 with that object — by object height at 1280x720.
A missed object with a raw box scoring 0.3-0.5 was detected but lost to the thresholds (the first association takes
>= 0.5, a track starts at >= 0.6); one with no raw box was never detected (models/README.md, "Held-out evaluation").
  missed_scores.py CHECKPOINT.pt SEQUENCE_DIR PRED_MOT.txt [--every 3]
SEQUENCE_DIR is a `synth export` sequence (img1/, gt/gt.txt), e.g. /tmp/realtimeseg-eval/gt/synth-drive-seed999 after
evaluate.sh, and PRED_MOT.txt that run's pred-mot.txt."""
import argparse

import numpy as np
import torch

from raw_head import RawHead
from recall_by_size import iou, load
from train import box_iou_xyxy

BUCKETS = [(0, 16), (16, 64), (64, 10 ** 6)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoint")
    ap.add_argument("sequence")
    ap.add_argument("pred")
    ap.add_argument("--every", type=int, default=3)
    args = ap.parse_args()
    gt, pred = load(f"{args.sequence}/gt/gt.txt"), load(args.pred)
    head = RawHead(args.checkpoint)
    best = {}
    for frame in sorted(gt)[::args.every]:
        boxes, score, _, _ = head.frame(args.sequence, frame)
        for g in gt[frame]:
            if g[4] < 0.5:
                continue
            found = max([iou(g, p) for p in pred.get(frame, [])] + [0.0]) >= 0.5
            truth = torch.tensor([[g[0], g[1], g[0] + g[2], g[1] + g[3]]]).expand(len(boxes), 4)
            near = box_iou_xyxy(boxes, truth) >= 0.5
            bucket = next(i for i, (lo, hi) in enumerate(BUCKETS) if lo <= g[3] < hi)
            best.setdefault((bucket, found), []).append(float(score[near].max()) if near.any() else 0.0)
    for (bucket, found), v in sorted(best.items()):
        lo, hi = BUCKETS[bucket]
        v = np.array(v)
        label = f"{lo}-{hi} px" if hi < 10 ** 6 else f">= {lo} px"
        print(f"height {label:>9}, {'found ' if found else 'missed'}: {len(v):4d} objects; best raw score at IoU >= 0.5: "
              f"median {np.median(v):.2f}, none {np.mean(v < 0.1):.2f}, 0.1-0.3 {np.mean((v >= 0.1) & (v < 0.3)):.2f}, "
              f"0.3-0.5 {np.mean((v >= 0.3) & (v < 0.5)):.2f}, 0.5-0.6 {np.mean((v >= 0.5) & (v < 0.6)):.2f}, >= 0.6 {np.mean(v >= 0.6):.2f}")


if __name__ == "__main__":
    main()
