#!/usr/bin/python3
"""Detection recall of a MOT tracker file against synth gt.txt by object height (IoU >= 0.5, greedy per frame, taller
objects first), then split by visibility (gt.txt column 9: under half visible or not); then the predicted boxes left
unmatched (false positives at IoU 0.5) by height and by their best IoU with any ground-truth object: under 0.1 is a
box on nothing, 0.1-0.5 an object's box placed badly, 0.5 and over a second box on an object another box matched.
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


def bucket(height):
    return next(i for i, (lo, hi) in enumerate(BUCKETS) if lo <= height < hi)


def label(lo, hi):
    return f"{lo}-{hi} px" if hi < 10 ** 6 else f">= {lo} px"


def main():
    gt, pred = load(sys.argv[1]), load(sys.argv[2])
    hit, total = defaultdict(int), defaultdict(int)   # keyed by (height bucket, visible)
    unmatched = defaultdict(list)   # height bucket -> best IoU with any ground truth, per false positive
    for frame in sorted(set(gt) | set(pred)):
        boxes = gt.get(frame, [])
        used = set()
        for g in sorted(boxes, key=lambda b: -b[3]):
            k = (bucket(g[3]), g[4] >= 0.5)
            total[k] += 1
            best, bi = 0.5, -1
            for i, p in enumerate(pred.get(frame, [])):
                if i not in used and iou(g, p) >= best:
                    best, bi = iou(g, p), i
            if bi >= 0:
                used.add(bi)
                hit[k] += 1
        for i, p in enumerate(pred.get(frame, [])):
            if i not in used:
                unmatched[bucket(p[3])].append(max([iou(g, p) for g in boxes] + [0.0]))
    for i, (lo, hi) in enumerate(BUCKETS):
        n = total[(i, False)] + total[(i, True)]
        print(f"height {label(lo, hi):>10}: {n:5d} objects, recall {(hit[(i, False)] + hit[(i, True)]) / max(n, 1):.3f}")
    for i, (lo, hi) in enumerate(BUCKETS):
        for visible in (False, True):
            k = (i, visible)
            print(f"height {label(lo, hi):>10}, {'visible >= 0.5' if visible else 'visible < 0.5 '}: {total[k]:5d} objects, "
                  f"recall {hit[k] / max(total[k], 1):.3f}")
    print(f"all: {sum(total.values())} objects, recall {sum(hit.values()) / max(sum(total.values()), 1):.3f}")
    for i, (lo, hi) in enumerate(BUCKETS):
        v = unmatched[i]
        print(f"false positives, height {label(lo, hi):>10}: {len(v):5d}; best IoU with an object < 0.1: "
              f"{sum(1 for x in v if x < 0.1):4d}, 0.1-0.5: {sum(1 for x in v if 0.1 <= x < 0.5):4d}, "
              f">= 0.5: {sum(1 for x in v if x >= 0.5):4d}")
    n = sum(len(v) for v in unmatched.values())
    near = sum(1 for v in unmatched.values() for x in v if 0.1 <= x < 0.5)
    print(f"false positives, all: {n}, of them at IoU 0.1-0.5 with an object: {near}")


if __name__ == "__main__":
    main()
