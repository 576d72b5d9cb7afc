#!/usr/bin/python3
"""Reference decoders, written from each output format's published definition with numpy only, independent of the
C# code. Input: a folder written by `realtimeseg models run MODEL --image VIDEO --frame N --save-outputs DIR`
(input.npy, one .npy per raw output, frame.json). Output: a small JSON file of the top detections, which the C#
decoder tests compare against (tests/data/decoders/*.json).

Usage: /usr/bin/python3 reference_decode.py FAMILY DUMP_DIR OUT.json [--source NAME --frame N]
FAMILY: yolo-seg | yolo-detect | yolo-e2e | yolox | maskrcnn

Definitions used:
  letterbox   Ultralytics LetterBox: r = min(H/h, W/w); content round(w*r) x round(h*r); pad = round(d/2 -+ 0.1).
  stretch     (frame.json resize=stretch) each axis scaled to the input: rx = W/w, ry = H/h, no padding.
  yolo-seg    output0 [1, 4+nc+nm, N]: cx, cy, w, h (input px), nc class scores, nm coefficients; output1 [1, nm, mh, mw].
              score = max class; keep > conf; class-aware greedy NMS (drop IoU > iou); mask = sigmoid(c . P) over
              the prototype cells whose centres lie inside the box (Ultralytics crop_mask on the prototype grid).
  yolo-detect the same head without coefficients.
  yolo-e2e    output0 [1, N, 6+nm]: x1, y1, x2, y2 (input px), score, class, nm coefficients; NMS done in the model.
  yolox       output [1, sum (H/s)(W/s), 5+nc] over strides 8, 16, 32: cx = (x + gx) s, w = exp(w) s;
              score = objectness x best class; class-aware NMS.
  semantic    one output of per-class scores, [1, C, h, w] (NCHW) or [1, h, w, C] (NHWC; chosen as the C# matcher
              documents: the reading whose class count is 1..255 and whose map fits the input), class = arg-max;
              result: class histogram and the class of every 16th cell (base-36 digits, one string per row).
  maskrcnn    boxes [n,4] x1,y1,x2,y2 (input px), labels [n], scores [n], masks [n,1,H,W] probabilities at input size.
"""
import argparse
import json
import math
import os
import sys

import numpy as np

CONF, IOU, MAX_DET, TOP = 0.25, 0.45, 100, 20


def py_round(x):
    # Python's round: half to even, like the C# Math.Round default the letterbox definition is written with.
    return int(round(x))


def letterbox(w, h, iw, ih):
    r = min(ih / h, iw / w)
    rw, rh = min(max(py_round(w * r), 1), iw), min(max(py_round(h * r), 1), ih)
    dw, dh = (iw - rw) / 2, (ih - rh) / 2
    return r, py_round(dw - 0.1), py_round(dh - 0.1)


def to_image(box, r, px, py, w, h):
    x1, y1, x2, y2 = box
    x1, x2 = (x1 - px) / r, (x2 - px) / r
    y1, y2 = (y1 - py) / r, (y2 - py) / r
    return [min(max(x1, 0), w), min(max(y1, 0), h), min(max(x2, 0), w), min(max(y2, 0), h)]


def iou(a, b):
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def nms(boxes, classes, order):
    keep = []
    for j in order:
        if all(classes[k] != classes[j] or iou(boxes[k], boxes[j]) <= IOU for k in keep):
            keep.append(j)
            if len(keep) == MAX_DET:
                break
    return keep


def cells_inside(lo, hi, n):
    first = max(0, math.ceil(lo - 0.5))
    end = min(n, math.ceil(hi - 0.5))
    if end <= first:
        first = min(max(math.floor((lo + hi) * 0.5), 0), n - 1)
        end = first + 1
    return first, end


def proto_mask_area(coef, protos, box_in, iw, ih):
    """Input-pixel area of the mask > 0.5 over the prototype cells whose centres are in the (input px) box."""
    nm, mh, mw = protos.shape
    cw, ch = iw / mw, ih / mh
    u0, u1 = cells_inside(box_in[0] / cw, box_in[2] / cw, mw)
    v0, v1 = cells_inside(box_in[1] / ch, box_in[3] / ch, mh)
    logits = np.tensordot(coef, protos[:, v0:v1, u0:u1], axes=1)
    on = int((1 / (1 + np.exp(-logits)) > 0.5).sum())
    return on * cw * ch


def image_box_to_input(b, r, px, py):
    return [b[0] * r + px, b[1] * r + py, b[2] * r + px, b[3] * r + py]


def yolo_head(family, d, meta, r, px, py, w, h):
    head = np.load(os.path.join(d, "output0.npy"))[0]  # [C, N]
    protos = np.load(os.path.join(d, "output1.npy"))[0] if family == "yolo-seg" else None
    nm = protos.shape[0] if protos is not None else 0
    nc = head.shape[0] - 4 - nm
    scores = head[4:4 + nc]
    best, cls = scores.max(axis=0), scores.argmax(axis=0)
    cand = np.nonzero(best > CONF)[0]
    order = sorted(cand, key=lambda a: -best[a])
    boxes = {a: [head[0, a] - head[2, a] / 2, head[1, a] - head[3, a] / 2, head[0, a] + head[2, a] / 2, head[1, a] + head[3, a] / 2] for a in order}
    keep = nms(boxes, {a: cls[a] for a in order}, order)
    out = []
    for a in keep:
        ib = to_image(boxes[a], r, px, py, w, h)
        if ib[2] - ib[0] <= 0 or ib[3] - ib[1] <= 0:
            continue
        area = None
        if protos is not None:
            area = proto_mask_area(head[4 + nc:, a], protos, image_box_to_input(ib, r, px, py), meta["input_width"], meta["input_height"])
        out.append(det(cls[a], best[a], ib, area))
    return out


def yolo_e2e(d, meta, r, px, py, w, h):
    head = np.load(os.path.join(d, "output0.npy"))[0]  # [N, 6+nm]
    protos = np.load(os.path.join(d, "output1.npy"))[0] if os.path.exists(os.path.join(d, "output1.npy")) else None
    rows = sorted(np.nonzero(head[:, 4] > CONF)[0], key=lambda i: -head[i, 4])[:MAX_DET]
    out = []
    for i in rows:
        ib = to_image(head[i, 0:4].tolist(), r, px, py, w, h)
        if ib[2] - ib[0] <= 0 or ib[3] - ib[1] <= 0:
            continue
        area = None
        if protos is not None:
            area = proto_mask_area(head[i, 6:], protos, image_box_to_input(ib, r, px, py), meta["input_width"], meta["input_height"])
        out.append(det(int(round(head[i, 5])), head[i, 4], ib, area))
    return out


def yolox(d, meta, r, px, py, w, h):
    raw = np.load(os.path.join(d, "output.npy"))[0]  # [A, 5+nc]
    iw, ih = meta["input_width"], meta["input_height"]
    grids, strides = [], []
    for s in (8, 16, 32):
        gy, gx = np.meshgrid(np.arange(ih // s), np.arange(iw // s), indexing="ij")
        grids.append(np.stack([gx.ravel(), gy.ravel()], axis=1))
        strides.append(np.full(gx.size, s))
    grid, stride = np.concatenate(grids), np.concatenate(strides)
    cx = (raw[:, 0] + grid[:, 0]) * stride
    cy = (raw[:, 1] + grid[:, 1]) * stride
    bw, bh = np.exp(raw[:, 2]) * stride, np.exp(raw[:, 3]) * stride
    cls = raw[:, 5:].argmax(axis=1)
    score = raw[:, 4] * raw[np.arange(len(raw)), 5 + cls]
    order = sorted(np.nonzero(score > CONF)[0], key=lambda a: -score[a])
    boxes = {a: [cx[a] - bw[a] / 2, cy[a] - bh[a] / 2, cx[a] + bw[a] / 2, cy[a] + bh[a] / 2] for a in order}
    keep = nms(boxes, {a: cls[a] for a in order}, order)
    out = []
    for a in keep:
        ib = to_image(boxes[a], r, px, py, w, h)
        if ib[2] - ib[0] > 0 and ib[3] - ib[1] > 0:
            out.append(det(cls[a], score[a], ib, None))
    return out


def maskrcnn(d, meta, r, px, py, w, h, conf):
    boxes = np.load(os.path.join(d, "boxes.npy"))
    labels = np.load(os.path.join(d, "labels.npy"))
    scores = np.load(os.path.join(d, "scores.npy"))
    masks = np.load(os.path.join(d, "masks.npy"))[:, 0]
    order = sorted(np.nonzero(scores > conf)[0], key=lambda i: -scores[i])[:MAX_DET]
    out = []
    for i in order:
        ib = to_image(boxes[i].tolist(), r, px, py, w, h)
        if ib[2] - ib[0] <= 0 or ib[3] - ib[1] <= 0:
            continue
        bi = image_box_to_input(ib, r, px, py)
        ys, xs = np.mgrid[0:masks.shape[1], 0:masks.shape[2]] + 0.5
        inside = (xs >= bi[0]) & (xs < bi[2]) & (ys >= bi[1]) & (ys < bi[3])
        area = float(((masks[i] > 0.5) & inside).sum())
        out.append(det(int(labels[i]), scores[i], ib, area))
    return out


def semantic(d, meta):
    name = meta["outputs"][0]
    scores = np.load(os.path.join(d, name.replace("/", "_") + ".npy"))[0]
    iw, ih = meta["input_width"], meta["input_height"]
    a, b, c = scores.shape
    nhwc = 1 <= c <= 255 and a <= ih and b <= iw and not (1 <= a <= 255 and b <= ih and c <= iw and abs(math.log(b / c / (ih / iw))) < abs(math.log(a / b / (ih / iw))))
    classes = scores.argmax(axis=2) if nhwc else scores.argmax(axis=0)
    n = c if nhwc else a
    hist = np.bincount(classes.ravel(), minlength=n)
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    grid = ["".join(digits[v] for v in row[8::16]) for row in classes[8::16]]
    return {"layout": "nhwc" if nhwc else "nchw", "classes": int(n), "map": [int(classes.shape[1]), int(classes.shape[0])],
            "histogram": [int(v) for v in hist], "grid_step": 16, "grid_offset": 8, "grid": grid}


def det(cls, score, box, area):
    return {"class": int(cls), "score": round(float(score), 5), "box": [round(float(v), 3) for v in box],
            "mask_area_input_px": None if area is None else round(float(area), 1)}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("family")
    p.add_argument("dump")
    p.add_argument("out")
    p.add_argument("--source", default="")
    p.add_argument("--frame", type=int, default=0)
    p.add_argument("--confidence", type=float, default=CONF)
    a = p.parse_args()
    with open(os.path.join(a.dump, "frame.json")) as f:
        meta = json.load(f)
    w, h = meta["image_width"], meta["image_height"]
    r, px, py = letterbox(w, h, meta["input_width"], meta["input_height"])
    if a.family in ("yolo-seg", "yolo-detect"):
        dets = yolo_head(a.family, a.dump, meta, r, px, py, w, h)
    elif a.family == "yolo-e2e":
        dets = yolo_e2e(a.dump, meta, r, px, py, w, h)
    elif a.family == "yolox":
        dets = yolox(a.dump, meta, r, px, py, w, h)
    elif a.family == "semantic":
        if meta.get("resize") == "stretch":
            fit = {"mode": "stretch", "scale_x": meta["input_width"] / w, "scale_y": meta["input_height"] / h, "pad_x": 0, "pad_y": 0}
        else:
            fit = {"mode": "letterbox", "scale_x": r, "scale_y": r, "pad_x": px, "pad_y": py}
        result = {"family": a.family, "model": meta["model"], "source": a.source, "frame": a.frame, "image": [w, h],
                  "input": [meta["input_width"], meta["input_height"]], "letterbox": fit}
        result.update(semantic(a.dump, meta))
        with open(a.out, "w") as f:
            json.dump(result, f, indent=1)
            f.write("\n")
        print(f"{a.out}: histogram {result['histogram']}", file=sys.stderr)
        return 0
    elif a.family == "maskrcnn":
        dets = maskrcnn(a.dump, meta, r, px, py, w, h, a.confidence)
    else:
        print(f"unknown family {a.family}", file=sys.stderr)
        return 2
    result = {
        "family": a.family, "model": meta["model"], "source": a.source, "frame": a.frame,
        "image": [w, h], "input": [meta["input_width"], meta["input_height"]],
        "letterbox": {"scale": r, "pad_x": px, "pad_y": py},
        "confidence": a.confidence, "iou": IOU, "detection_count": len(dets), "detections": dets[:TOP],
    }
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print(f"{a.out}: {len(dets)} detections", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
