#!/usr/bin/python3
"""The raw instance head of a training checkpoint on make_dataset.py frames, by box height (input pixels; 6.4 and 12.8
at 1024x576 are 8 and 16 px at 1280x720): the share of objects with a same-class box at IoU >= 0.5 and score > 0.3
(and > 0.1), and the mean score and IoU of the anchors the training assigns to them. No NMS, no tracker, no masks: it
tells whether the detector or the pipeline after it loses an object (models/README.md, "Why a stride-4 detection level").
  box_quality.py CHECKPOINT.pt [DATA_DIR]        DATA_DIR defaults to /work/data2/val (seeds 900-903)"""
import sys

import numpy as np
import torch

from model import DemoNet, decode_boxes, flatten_levels, grids
from train import assign, batch, box_iou_xyxy, load, xywh_to_xyxy

BUCKETS = [(0, 6.4), (6.4, 12.8), (12.8, 25.6), (25.6, 51.2), (51.2, 1e9)]


def main():
    torch.set_num_threads(2)
    torch.set_flush_denormal(True)
    data = load(sys.argv[2] if len(sys.argv) > 2 else "/work/data2/val")
    net = DemoNet()
    net.load_state_dict(torch.load(sys.argv[1]))
    net.eval()
    h, w = data["images"].shape[1:3]
    centres, strides = grids(h, w, "cpu")
    rows = {k: [] for k in range(len(BUCKETS))}
    n = len(data["images"])
    with torch.no_grad():
        for i in range(0, n, 8):
            idx = list(range(i, min(i + 8, n)))
            imgs, _, _, boxes = batch(data, idx, False, None)
            levels, _, _ = net(imgs)
            raw, logits, _ = flatten_levels(levels)
            xyxy = xywh_to_xyxy(decode_boxes(raw, centres, strides))
            score, cls = torch.sigmoid(logits).max(-1)
            for b in range(len(idx)):
                gt = boxes[b]
                owner = assign(gt, centres, strides)
                for j, g in enumerate(gt):
                    k = next(q for q, (lo, hi) in enumerate(BUCKETS) if lo <= float(g[5] - g[3]) < hi)
                    ious = box_iou_xyxy(xyxy[b], g[None, 2:6].expand(xyxy.shape[1], 4))
                    good = (ious >= 0.5) & (cls[b] == int(g[1]))
                    best = float(score[b][good].max()) if good.any() else 0.0
                    mine = owner == j
                    rows[k].append((best, float(score[b][mine].mean()) if mine.any() else np.nan,
                                    float(ious[mine].mean()) if mine.any() else np.nan))
    print("height (input px)   objects   IoU>=.5 & score>.3   & score>.1   assigned: mean score   mean IoU")
    for k, (lo, hi) in enumerate(BUCKETS):
        a = np.array(rows[k]).reshape(-1, 3)
        if len(a):
            label = f"{lo:g}-{hi:g}" if hi < 1e9 else f">= {lo:g}"
            print(f"{label:>17}   {len(a):7d}   {np.mean(a[:, 0] > 0.3):18.3f}   {np.mean(a[:, 0] > 0.1):10.3f}"
                  f"   {np.nanmean(a[:, 1]):20.2f}   {np.nanmean(a[:, 2]):8.2f}")


if __name__ == "__main__":
    main()
