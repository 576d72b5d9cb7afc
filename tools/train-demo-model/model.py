"""The demo model: a small real-time panoptic network (one backbone, two heads), input 1024x576.

A 4x4 stride-4 patch stem keeps every later stage at a modest resolution while the stem still sees every input pixel
(40 % of the held-out drive's objects are under 16 px tall at 1280x720; models/README.md).
Instance head: anchor-free, one prediction per cell at strides 4, 8, 16 and 32 (box centre offset and log size, class
scores, mask coefficients) over stride-8 mask prototypes; the stride-4 level (5 image px a cell) is for the far cars
8–16 px tall, which a stride-8 cell cannot place (models/README.md) — exported in the Ultralytics YOLO-segmentation layout so the
pipeline's yolo-seg decoder reads it:
  output0  [1, 4 + NC + NM, N]  cx, cy, w, h in input pixels; sigmoid class scores; raw mask coefficients
  output1  [1, NM, H/8, W/8]    mask prototypes (mask = sigmoid(coefficients . prototypes))
Semantic head: per-pixel class of all CLASSES at stride 8, refined at stride 4, exported as the arg-max class map:
  semantic [1, H/4, W/4]        uint8 class index
Depthwise-separable blocks keep one run at ~20 ms (19.7 ms median, DemoModelBenchmarks) on this project's 2-core CPU (ONNX Runtime).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

NC = 3        # instance classes: person, car, bicycle
NM = 16       # mask coefficients / prototypes
NS = 9        # semantic classes (make_dataset.CLASSES)
STRIDES = (4, 8, 16, 32)
PROTO_STRIDE = 8
SEMANTIC_STRIDE = 4


def cbr(cin, cout, k=3, s=1, groups=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class DwSep(nn.Module):
    """Depthwise 3x3 (stride s) + pointwise; residual when shapes allow."""

    def __init__(self, cin, cout, s=1):
        super().__init__()
        self.dw = cbr(cin, cin, 3, s, groups=cin)
        self.pw = cbr(cin, cout, 1)
        self.residual = s == 1 and cin == cout

    def forward(self, x):
        y = self.pw(self.dw(x))
        return x + y if self.residual else y


def stage(cin, cout, blocks):
    return nn.Sequential(DwSep(cin, cout, 2), *[DwSep(cout, cout) for _ in range(blocks)])


class DemoNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 32, 4, 4, 0, bias=False), nn.BatchNorm2d(32), nn.ReLU(inplace=True))  # /4 patches
        self.c2 = stage(32, 48, 1)            # /8
        self.c3 = stage(48, 96, 2)            # /16
        self.c4 = stage(96, 160, 3)           # /32
        self.c5 = stage(160, 224, 1)          # /64 (context only)
        f, g = 96, 64                         # neck width at /16…/64 and at /8
        self.l5 = cbr(224, f, 1)
        self.l4 = cbr(160, f, 1)
        self.l3 = cbr(96, f, 1)
        self.l2 = cbr(48, g, 1)
        self.r3 = cbr(f, g, 1)
        self.l1 = cbr(32, 32, 1)              # stride 4: stem patches + the /8 neck, upsampled
        self.r2 = cbr(g, 32, 1)
        self.m1 = DwSep(32, 32)
        self.m4 = DwSep(f, f)
        self.m3 = DwSep(f, f)
        self.m2 = DwSep(g, g)
        self.d3 = DwSep(g, f, 2)              # bottom-up (PAN) path
        self.d4 = DwSep(f, f, 2)
        self.n3 = DwSep(f, f)
        self.n4 = DwSep(f, f)
        widths = (32, g, f, f)
        # one block at stride 4 (its 36 864 cells per frame cost most), two elsewhere
        self.heads = nn.ModuleList([nn.Sequential(*[DwSep(c, c) for _ in range(1 if i == 0 else 2)]) for i, c in enumerate(widths)])
        self.box = nn.ModuleList([nn.Conv2d(c, 4, 1) for c in widths])
        self.cls = nn.ModuleList([nn.Conv2d(c, NC, 1) for c in widths])
        self.coef = nn.ModuleList([nn.Conv2d(c, NM, 1) for c in widths])
        # stride 8: prototypes; semantic logits at stride 8, refined at stride 4 by a pointwise skip from the stem
        # (thin lane lines)
        self.proto = nn.Sequential(DwSep(g, g), nn.Conv2d(g, NM, 1))
        self.sem8 = nn.Sequential(DwSep(g, g), nn.Conv2d(g, NS, 1))
        self.sem4 = nn.Sequential(cbr(32 + NS, 32, 1), nn.Conv2d(32, NS, 1))
        for cls in self.cls:
            nn.init.constant_(cls.bias, -4.6)   # prior 0.01: the focal-loss start

    @staticmethod
    def up(x):
        return F.interpolate(x, scale_factor=2.0, mode="nearest")

    def forward(self, x):
        """x: [B, 3, H, W] RGB in 0..1. Returns raw per-level head outputs, prototypes and semantic logits."""
        s1 = self.stem(x)
        s2 = self.c2(s1)
        s3 = self.c3(s2)
        s4 = self.c4(s3)
        s5 = self.c5(s4)
        p5 = self.l5(s5)
        p4 = self.m4(self.l4(s4) + self.up(p5))
        p3 = self.m3(self.l3(s3) + self.up(p4))
        p2 = self.m2(self.l2(s2) + self.up(self.r3(p3)))
        p1 = self.m1(self.l1(s1) + self.up(self.r2(p2)))
        q3 = self.n3(p3 + self.d3(p2))
        q4 = self.n4(p4 + self.d4(q3))
        levels = []
        for i, p in enumerate((p1, p2, q3, q4)):
            h = self.heads[i](p)
            levels.append((self.box[i](h), self.cls[i](h), self.coef[i](h)))
        proto = self.proto(p2)
        up = F.interpolate(self.sem8(p2), scale_factor=2.0, mode="bilinear", align_corners=False)
        sem = up + self.sem4(torch.cat((s1, up), 1))
        return levels, proto, sem


def grids(h, w, device):
    """Per level: cell centres (x, y) in input pixels and the stride, flattened in raster order, levels concatenated."""
    centres, strides = [], []
    for s in STRIDES:
        gy, gx = torch.meshgrid(torch.arange(h // s, device=device), torch.arange(w // s, device=device), indexing="ij")
        centres.append(torch.stack(((gx.flatten() + 0.5) * s, (gy.flatten() + 0.5) * s), 1).float())
        strides.append(torch.full((gx.numel(),), float(s), device=device))
    return torch.cat(centres), torch.cat(strides)


def flatten_levels(levels):
    """[B, N, 4], [B, N, NC], [B, N, NM] over all levels."""
    out = []
    for k in range(3):
        out.append(torch.cat([lv[k].flatten(2).transpose(1, 2) for lv in levels], 1))
    return out


def decode_boxes(raw, centres, strides, straight_through=False):
    """Raw (dx, dy, tw, th) → (cx, cy, w, h) in input pixels: centre = cell centre + d·stride, size = exp(t)·stride
    with t clamped to ±6. In training the clamp passes the gradient straight through: a plain clamp has none outside
    ±6, so a level whose sizes overshoot once stays dead (it happened: strides 16 and 32 collapsed to t ≈ -13)."""
    s = strides[None, :, None]
    cxy = centres[None] + raw[..., :2] * s
    t = raw[..., 2:]
    clamped = t.clamp(-6.0, 6.0)
    if straight_through:
        clamped = t + (clamped - t).detach()
    wh = torch.exp(clamped) * s
    return torch.cat((cxy, wh), -1)


class Export(nn.Module):
    """The deployed graph: decoded instance rows in the Ultralytics layout, prototypes and the semantic class map."""

    def __init__(self, net, h, w):
        super().__init__()
        self.net = net
        centres, strides = grids(h, w, "cpu")
        self.register_buffer("centres", centres)
        self.register_buffer("strides", strides)

    def forward(self, images):
        levels, proto, sem = self.net(images)
        box, cls, coef = flatten_levels(levels)
        xywh = decode_boxes(box, self.centres, self.strides)
        rows = torch.cat((xywh, torch.sigmoid(cls), coef), -1).transpose(1, 2)
        classes = torch.argmax(sem, dim=1).to(torch.uint8)
        return rows, proto, classes
