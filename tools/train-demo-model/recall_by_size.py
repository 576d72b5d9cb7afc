#!/usr/bin/python3
"""Detection recall of a MOT tracker file against synth gt.txt by object height (IoU >= 0.5, greedy per frame, taller
objects first), then split by visibility (gt.txt column 9: under half visible or not).
  recall_by_size.py GT.txt PRED.txt"""
import sys
from collections import defaultdict

BUCKETS = [(0, 16), (16, 32), (32, 64), (64, 10 ** 6)]


def load(p):
    d = defaultdict(list)
    for line in open(p):
        f = line.strip().split(",")
        if len(f) < 6:
            continue
        visibility = float(f[8]) if len(f) > 8 else 1.0
        d[int(f[0])].append(tuple(float(v) for v in f[2:6]) + (visibility,))
    return d


def iou(a, b):
    ax1, ay1, ax2, ay2 = a[0], a[1], a[0] + a[2], a[1] + a[3]
    bx1, by1, bx2, by2 = b[0], b[1], b[0] + b[2], b[1] + b[3]
    iw, ih = max(0, min(ax2, bx2) - max(ax1, bx1)), max(0, min(ay2, by2) - max(ay1, by1))
    inter = iw * ih
    return inter / (a[2] * a[3] + b[2] * b[3] - inter + 1e-9)


def label(lo, hi):
    return f"{lo}-{hi} px" if hi < 10 ** 6 else f">= {lo} px"


def main():
    gt, pred = load(sys.argv[1]), load(sys.argv[2])
    hit, total = defaultdict(int), defaultdict(int)   # keyed by (height bucket, visible)
    for frame, boxes in gt.items():
        used = set()
        for g in sorted(boxes, key=lambda b: -b[3]):
            k = (next(i for i, (lo, hi) in enumerate(BUCKETS) if lo <= g[3] < hi), g[4] >= 0.5)
            total[k] += 1
            best, bi = 0.5, -1
            for i, p in enumerate(pred.get(frame, [])):
                if i not in used and iou(g, p) >= best:
                    best, bi = iou(g, p), i
            if bi >= 0:
                used.add(bi)
                hit[k] += 1
    for i, (lo, hi) in enumerate(BUCKETS):
        n = total[(i, False)] + total[(i, True)]
        print(f"height {label(lo, hi):>10}: {n:5d} objects, recall {(hit[(i, False)] + hit[(i, True)]) / max(n, 1):.3f}")
    for i, (lo, hi) in enumerate(BUCKETS):
        for visible in (False, True):
            k = (i, visible)
            print(f"height {label(lo, hi):>10}, {'visible >= 0.5' if visible else 'visible < 0.5 '}: {total[k]:5d} objects, "
                  f"recall {hit[k] / max(total[k], 1):.3f}")
    print(f"all: {sum(total.values())} objects, recall {sum(hit.values()) / max(sum(total.values()), 1):.3f}")


if __name__ == "__main__":
    main()
