#!/usr/bin/python3
"""Trains the demo model (model.py) on data from make_dataset.py and exports it as ONNX with self-describing metadata.

  /usr/bin/python3 train.py --data DIR --val DIR --out models/realtimeseg-demo.onnx --minutes 60

The learning rate follows a cosine over the time budget (not a step count), so the run ends on time however busy the
machine is. Every --log-every steps a line of losses goes to stdout (the model card's loss curves); every
--val-every seconds the held-out frames are scored (semantic mIoU, instance recall at IoU 0.5).
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from model import NC, NM, NS, PROTO_STRIDE, STRIDES, DemoNet, Export, decode_boxes, flatten_levels, grids

# Box sizes (longer side, input pixels at 1024x576) each level learns: strides 4, 8, 16, 32. The ranges overlap so an
# object near a boundary trains both levels.
SIZE_RANGES = ((0.0, 24.0), (12.0, 64.0), (32.0, 160.0), (96.0, 1e9))
L1_WEIGHT = 0.25   # of the raw-output L1 term beside GIoU in the box loss
CLASS_WEIGHTS = [1.0, 1.5, 1.0, 1.0, 1.0, 2.0, 1.5, 2.0, 3.0]  # lane marking is thin, people and bicycles small


def load(folder):
    """The arrays of make_dataset.py; images stay memory-mapped (1024x576 frames of 200 seeds are ~6 GB)."""
    d = {k: np.load(os.path.join(folder, k + ".npy"), mmap_mode="r" if k == "images" else None)
         for k in ("images", "semantic", "instances", "boxes")}
    per_frame = [[] for _ in range(len(d["images"]))]
    for row in d["boxes"]:
        per_frame[int(row[0])].append(row[1:])
    d["per_frame"] = [np.asarray(r, np.float32).reshape(-1, 6) for r in per_frame]
    return d


def batch(d, idx, augment, rng, crop=None):
    """Frames idx as tensors. crop (w, h): a random window of each frame at full scale (boxes shifted and clipped to it,
    those left under 2 px dropped); 512x320 is 28 % of a 1024x576 frame, and a step of 16 windows took 0.59-0.74 s
    against 1.9 s for 12 whole frames here (models/README.md, "Why windows")."""
    if crop is None:
        windows = [(0, 0, d["images"].shape[2], d["images"].shape[1])] * len(idx)
    else:
        cw, ch = crop
        # window origins on the prototype grid (stride 8) so the semantic (/4) and instance (/8) maps crop with them
        windows = [(8 * int(rng.integers(0, (d["images"].shape[2] - cw) // 8 + 1)), 8 * int(rng.integers(0, (d["images"].shape[1] - ch) // 8 + 1)), cw, ch)
                   for _ in idx]
    ss = d["images"].shape[1] // d["semantic"].shape[1]
    ps = d["images"].shape[1] // d["instances"].shape[1]
    imgs = torch.from_numpy(np.stack([d["images"][i][y:y + h, x:x + w] for i, (x, y, w, h) in zip(idx, windows)])).permute(0, 3, 1, 2).float() / 255.0
    sem = torch.from_numpy(np.stack([d["semantic"][i][y // ss:(y + h) // ss, x // ss:(x + w) // ss] for i, (x, y, w, h) in zip(idx, windows)])).long()
    ins = torch.from_numpy(np.stack([d["instances"][i][y // ps:(y + h) // ps, x // ps:(x + w) // ps]
                                     for i, (x, y, w, h) in zip(idx, windows)]).astype(np.int32)).long()
    boxes = []
    for i, (x, y, w, h) in zip(idx, windows):
        bx = d["per_frame"][i].copy()
        if crop is not None:
            bx[:, [2, 4]] = np.clip(bx[:, [2, 4]] - x, 0, w)
            bx[:, [3, 5]] = np.clip(bx[:, [3, 5]] - y, 0, h)
            bx = bx[((bx[:, 4] - bx[:, 2]) >= 2) & ((bx[:, 5] - bx[:, 3]) >= 2)]
        boxes.append(torch.from_numpy(bx))
    if augment:
        w = imgs.shape[3]
        for b in range(len(idx)):
            if rng.random() < 0.5:
                imgs[b] = imgs[b].flip(-1)
                sem[b] = sem[b].flip(-1)
                ins[b] = ins[b].flip(-1)
                bx = boxes[b]
                x0 = w - bx[:, 4]
                x1 = w - bx[:, 2]
                bx[:, 2], bx[:, 4] = x0, x1
            gain = rng.uniform(0.75, 1.25)
            bias = rng.uniform(-0.08, 0.08)
            imgs[b] = (imgs[b] * gain + bias).clamp(0, 1)
    return imgs, sem, ins, boxes


def box_iou_xyxy(a, b):
    lt = torch.max(a[:, :2], b[:, :2])
    rb = torch.min(a[:, 2:], b[:, 2:])
    inter = (rb - lt).clamp(min=0).prod(1)
    area = (a[:, 2:] - a[:, :2]).prod(1) + (b[:, 2:] - b[:, :2]).prod(1) - inter
    return inter / area.clamp(min=1e-6)


def giou_loss(a, b):
    iou = box_iou_xyxy(a, b)
    lt = torch.min(a[:, :2], b[:, :2])
    rb = torch.max(a[:, 2:], b[:, 2:])
    hull = (rb - lt).prod(1).clamp(min=1e-6)
    inter_union = (a[:, 2:] - a[:, :2]).prod(1) + (b[:, 2:] - b[:, :2]).prod(1)
    inter = iou * inter_union / (1 + iou)
    union = inter_union - inter
    return 1 - (iou - (hull - union) / hull)


def xywh_to_xyxy(b):
    return torch.cat((b[..., :2] - b[..., 2:] / 2, b[..., :2] + b[..., 2:] / 2), -1)


def assign(gt, centres, strides):
    """Per anchor: index of its ground-truth row or -1. Centre sampling: an anchor of a level whose size range fits the
    box is positive when it lies within max(min(w/2, 1.5 s), s/2) of the box centre along each axis, so even a box
    smaller than a cell gets the cell that holds its centre; an anchor claimed twice goes to the smaller box."""
    n = centres.shape[0]
    if gt.shape[0] == 0:
        return torch.full((n,), -1, dtype=torch.long)
    x0, y0, x1, y1 = gt[:, 2], gt[:, 3], gt[:, 4], gt[:, 5]
    w, h = (x1 - x0).clamp(min=1), (y1 - y0).clamp(min=1)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    m = torch.max(w, h)
    s = strides[:, None]
    lo = torch.zeros_like(s)
    hi = torch.zeros_like(s)
    for level, (a, b) in zip(STRIDES, SIZE_RANGES):
        lo = torch.where(s == level, a, lo)
        hi = torch.where(s == level, b, hi)
    level_ok = (m[None] >= lo) & (m[None] <= hi)
    rx = torch.max(torch.min(w[None] / 2, 1.5 * s), s / 2)
    ry = torch.max(torch.min(h[None] / 2, 1.5 * s), s / 2)
    near = ((centres[:, 0:1] - cx[None]).abs() <= rx) & ((centres[:, 1:2] - cy[None]).abs() <= ry)
    ok = level_ok & near
    area = (w * h)[None].expand(n, -1)
    cost = torch.where(ok, area, torch.full_like(area, float("inf")))
    best, arg = cost.min(1)
    return torch.where(torch.isfinite(best), arg, torch.full_like(arg, -1))


def losses(out, imgs, sem, ins, boxes, centres, strides, score_power=1.0):
    levels, proto, sem_logits = out
    raw_box, cls_logit, coef = flatten_levels(levels)
    B = imgs.shape[0]
    pred_xyxy = xywh_to_xyxy(decode_boxes(raw_box, centres, strides, straight_through=True))
    cls_target = torch.zeros_like(cls_logit)
    box_l, mask_l, npos = [], [], 0
    for b in range(B):
        gt = boxes[b]
        a = assign(gt, centres, strides)
        pos = (a >= 0).nonzero().squeeze(1)
        if pos.numel() == 0:
            continue
        g = gt[a[pos]]
        gxyxy = g[:, 2:6]
        pb = pred_xyxy[b, pos]
        iou = box_iou_xyxy(pb.detach(), gxyxy)
        # quality target: IoU (QFL), or IoU^p with p < 1 so a small box's score sinks less with its IoU
        cls_target[b, pos, g[:, 1].long()] = iou.clamp(min=0.05).pow(score_power)
        # GIoU alone pulls a small prediction lying outside its (thin) box to shrink further: it shrinks the hull
        # faster than the union. An L1 term on the raw outputs (centre offset in strides, log size in strides) gives
        # every positive a direct pull to the right size; without it strides 16 and 32 collapsed to zero-size boxes.
        st = strides[pos][:, None]
        gwh = (gxyxy[:, 2:] - gxyxy[:, :2]).clamp(min=0.5)
        gc = (gxyxy[:, :2] + gxyxy[:, 2:]) / 2
        target = torch.cat(((gc - centres[pos]) / st, torch.log(gwh / st)), 1)
        box_l.append(giou_loss(pb, gxyxy).sum() + L1_WEIGHT * (raw_box[b, pos] - target).abs().sum())
        npos += pos.numel()
        # masks: at most 96 positives per image, BCE inside the box at prototype resolution
        if pos.numel() > 96:
            keep = torch.randperm(pos.numel())[:96]
            pos_m, g_m = pos[keep], g[keep]
        else:
            pos_m, g_m = pos, g
        ph, pw = proto.shape[2], proto.shape[3]
        logits = (coef[b, pos_m] @ proto[b].reshape(NM, -1)).reshape(-1, ph, pw)
        target = (ins[b][None] == g_m[:, 0].long()[:, None, None]).float()
        ys = (torch.arange(ph).float() + 0.5) * PROTO_STRIDE
        xs = (torch.arange(pw).float() + 0.5) * PROTO_STRIDE
        inside = ((xs[None, None, :] >= g_m[:, 2, None, None]) & (xs[None, None, :] <= g_m[:, 4, None, None])
                  & (ys[None, :, None] >= g_m[:, 3, None, None]) & (ys[None, :, None] <= g_m[:, 5, None, None])).float()
        # boxes thinner than a prototype cell still train the cell holding their centre
        cxc = ((g_m[:, 2] + g_m[:, 4]) / (2 * PROTO_STRIDE)).long().clamp(0, pw - 1)
        cyc = ((g_m[:, 3] + g_m[:, 5]) / (2 * PROTO_STRIDE)).long().clamp(0, ph - 1)
        inside[torch.arange(len(g_m)), cyc, cxc] = 1.0
        bce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
        mask_l.append(((bce * inside).sum((1, 2)) / inside.sum((1, 2))).mean())
    npos = max(npos, 1)
    p = torch.sigmoid(cls_logit)
    qfl = F.binary_cross_entropy_with_logits(cls_logit, cls_target, reduction="none") * (p - cls_target).abs().pow(2)
    l_cls = qfl.sum() / npos
    l_box = torch.stack(box_l).sum() / npos if box_l else cls_logit.sum() * 0
    l_mask = torch.stack(mask_l).mean() if mask_l else cls_logit.sum() * 0
    weights = torch.tensor(CLASS_WEIGHTS)
    l_sem = F.cross_entropy(sem_logits, sem, weight=weights, ignore_index=255)
    # share of each level's size outputs beyond the ±6 clamp (a dead level shows up here first)
    t = raw_box[..., 2:].detach().abs() > 6.0
    saturated = [round(float(t[:, strides == s].float().mean()), 3) for s in STRIDES]
    return l_cls, l_box, l_mask, l_sem, saturated


@torch.no_grad()
def validate(net, val, centres, strides):
    net.eval()
    inter = torch.zeros(NS)
    union = torch.zeros(NS)
    found = total = 0
    for i in range(0, len(val["images"]), 16):
        idx = list(range(i, min(i + 16, len(val["images"]))))
        imgs, sem, _, boxes = batch(val, idx, False, None)
        levels, _, sem_logits = net(imgs)
        pred = sem_logits.argmax(1)
        valid = sem != 255
        for c in range(NS):
            pc, tc = (pred == c) & valid, (sem == c)
            inter[c] += (pc & tc).sum()
            union[c] += (pc | tc).sum()
        raw_box, cls_logit, _ = flatten_levels(levels)
        xyxy = xywh_to_xyxy(decode_boxes(raw_box, centres, strides))
        score, cls = torch.sigmoid(cls_logit).max(-1)
        for b in range(len(idx)):
            keep = score[b] > 0.3
            pb, pc = xyxy[b, keep], cls[b, keep]
            gt = boxes[b]
            total += len(gt)
            for g in gt:
                same = pc == int(g[1])
                if same.any() and box_iou_xyxy(pb[same], g[None, 2:6].expand(int(same.sum()), 4)).max() >= 0.5:
                    found += 1
    net.train()
    iou = inter / union.clamp(min=1)
    return float(iou.mean()), [round(float(v), 3) for v in iou], found / max(total, 1)


def export_onnx(net, path, w, h, meta):
    import onnx
    net.eval()
    wrapper = Export(net, h, w)
    torch.onnx.export(wrapper, torch.zeros(1, 3, h, w), path, opset_version=12, input_names=["images"],
                      output_names=["output0", "output1", "semantic"], do_constant_folding=True)
    model = onnx.load(path)
    for k, v in meta.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = k, v
    onnx.checker.check_model(model)
    onnx.save(model, path)


def metadata(w, h, training):
    """What lets the pipeline configure itself from the file alone (docs/models.md, 'realtimeseg.*' keys)."""
    categories = [
        {"id": 7, "name": "road", "isthing": False, "color": [128, 64, 128]},
        {"id": 8, "name": "sidewalk", "isthing": False, "color": [244, 35, 232]},
        {"id": 11, "name": "building", "isthing": False, "color": [70, 70, 70]},
        {"id": 21, "name": "vegetation", "isthing": False, "color": [107, 142, 35]},
        {"id": 23, "name": "sky", "isthing": False, "color": [70, 130, 180]},
        {"id": 24, "name": "person", "isthing": True, "color": [220, 20, 60]},
        {"id": 26, "name": "car", "isthing": True, "color": [0, 0, 142]},
        {"id": 33, "name": "bicycle", "isthing": True, "color": [119, 11, 32]},
        {"id": 34, "name": "lane_marking", "isthing": False, "color": [255, 255, 255]},
    ]
    return {
        "names": "{0: 'person', 1: 'car', 2: 'bicycle'}",
        "imgsz": f"[{h}, {w}]",
        "stride": "32",
        "task": "panoptic",
        "description": "RealtimeSeg demo model: two-head panoptic network trained on the synthetic drive",
        "license": "same as the RealtimeSeg repository",
        "realtimeseg.format": "1",
        "realtimeseg.input": json.dumps({"color_order": "rgb", "mean": [0, 0, 0], "std": [255, 255, 255], "resize": "letterbox"}),
        "realtimeseg.outputs": json.dumps({"instances": "output0", "prototypes": "output1", "semantic": "semantic"}),
        "realtimeseg.categories": json.dumps(categories),
        "realtimeseg.instance_classes": json.dumps([24, 26, 33]),
        "realtimeseg.semantic_classes": json.dumps([7, 8, 11, 21, 23, 24, 26, 33, 34]),
        "realtimeseg.training": json.dumps(training),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--val", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--minutes", type=float, default=50)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--crop", default="512x320", help="train on random WxH windows at full scale (multiples of 64); 'none' for whole frames")
    ap.add_argument("--lr", type=float, default=4e-3)
    ap.add_argument("--score-power", type=float, default=0.5, help="class-score target IoU^p (0.5, the bundled model: a tiny box's low IoU sinks its score less; 1 = quality focal loss as published)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--log-every", type=int, default=25)
    ap.add_argument("--val-every", type=float, default=600)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--checkpoint", default="")
    ap.add_argument("--resume", default="", help="start from this checkpoint's weights (a second phase of the same schedule shape)")
    ap.add_argument("--warmup", type=int, default=100, help="steps of linear learning-rate warm-up")
    ap.add_argument("--export-only", action="store_true", help="export --resume's weights to --out and stop (a mid-run look)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    data, val = load(args.data), load(args.val)
    n, h, w = data["images"].shape[0], data["images"].shape[1], data["images"].shape[2]
    centres, strides = grids(h, w, "cpu")
    try:
        crop = None if args.crop == "none" else tuple(int(v) for v in args.crop.split("x"))
    except ValueError:
        ap.error(f"--crop {args.crop}: expected WxH (e.g. 512x320) or 'none'")
    if crop is not None and (len(crop) != 2 or crop[0] % 64 or crop[1] % 64 or crop[0] > w or crop[1] > h or min(crop) <= 0):
        ap.error(f"--crop {args.crop}: width and height must be positive multiples of 64 (the network's coarsest stride) "
                 f"and fit the {w}x{h} training frames")
    train_centres, train_strides = (centres, strides) if crop is None else grids(crop[1], crop[0], "cpu")
    net = DemoNet()
    if args.resume:
        net.load_state_dict(torch.load(args.resume))
    params = sum(p.numel() for p in net.parameters())
    if args.export_only:
        export_onnx(net, args.out, w, h, metadata(w, h, {"checkpoint": os.path.basename(args.resume), "frames": n, "params": params}))
        print(f"exported {args.out} ({os.path.getsize(args.out)} bytes)", flush=True)
        return
    print(f"data {n} frames {w}x{h}, val {len(val['images'])}, params {params}", flush=True)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=5e-4)
    budget = args.minutes * 60
    start = last_val = time.time()
    step = 0
    history = []
    while True:
        t = time.time() - start
        if t >= budget:
            break
        warm = min(1.0, (step + 1) / max(1, args.warmup))
        lr = args.lr * warm * 0.5 * (1 + math.cos(math.pi * t / budget)) + 1e-5
        for g in opt.param_groups:
            g["lr"] = lr
        idx = rng.choice(n, args.batch, replace=False)
        imgs, sem, ins, boxes = batch(data, idx, True, rng, crop)
        l_cls, l_box, l_mask, l_sem, saturated = losses(net(imgs), imgs, sem, ins, boxes, train_centres, train_strides, args.score_power)
        loss = l_cls + 2.0 * l_box + l_mask + l_sem
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 10.0)
        opt.step()
        step += 1
        if step % args.log_every == 0:
            row = {"step": step, "min": round(t / 60, 2), "lr": round(lr, 5), "cls": round(float(l_cls), 4), "box": round(float(l_box), 4),
                   "mask": round(float(l_mask), 4), "sem": round(float(l_sem), 4), "saturated": saturated}
            history.append(row)
            print(json.dumps(row), flush=True)
        if time.time() - last_val >= args.val_every:
            miou, per, recall = validate(net, val, centres, strides)
            print(json.dumps({"val_step": step, "miou": round(miou, 4), "iou": per, "recall50": round(recall, 4)}), flush=True)
            last_val = time.time()
            if args.checkpoint:
                torch.save(net.state_dict(), args.checkpoint)
    miou, per, recall = validate(net, val, centres, strides)
    final = {"val_step": step, "miou": round(miou, 4), "iou": per, "recall50": round(recall, 4)}
    print(json.dumps(final), flush=True)
    if args.checkpoint:
        torch.save(net.state_dict(), args.checkpoint)
    training = {"steps": step, "minutes": round((time.time() - start) / 60, 1), "batch": args.batch, "crop": args.crop, "score_power": args.score_power, "lr": args.lr,
                "frames": n, "params": params, "val": final}
    export_onnx(net, args.out, w, h, metadata(w, h, training))
    print(f"exported {args.out} ({os.path.getsize(args.out)} bytes)", flush=True)


if __name__ == "__main__":
    main()
