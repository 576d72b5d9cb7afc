#!/usr/bin/python3
"""Builds a small torchvision Mask R-CNN (random weights) and exports it to ONNX with the layout of the stock
torchvision export: input `images` [3,H,W] float RGB 0..1; outputs `boxes` [n,4] (x1,y1,x2,y2 in input pixels),
`labels` [n] int64, `scores` [n], `masks` [n,1,H,W] probabilities. The stock maskrcnn_resnet50_fpn is 178 MB and
takes seconds a frame; the decoder only cares about the layout, which this model shares.

Usage: /usr/bin/python3 tools/decoder-reference/make_small_maskrcnn.py OUT.onnx [--size 160]
Deterministic: fixed seed, so the file is reproducible with the same torch version.
"""
import argparse
import sys

import torch
from torch import nn
from torchvision.models.detection import MaskRCNN
from torchvision.models.detection.faster_rcnn import FastRCNNPredictor, TwoMLPHead
from torchvision.models.detection.mask_rcnn import MaskRCNNHeads, MaskRCNNPredictor
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.ops import MultiScaleRoIAlign


def build(num_classes: int, size: int) -> nn.Module:
    torch.manual_seed(7)
    channels = 8
    backbone = nn.Sequential(
        nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(8, 8, 3, stride=2, padding=1), nn.ReLU(),
        nn.Conv2d(8, channels, 3, stride=2, padding=1), nn.ReLU(),
    )
    backbone.out_channels = channels
    anchors = AnchorGenerator(sizes=((16, 32, 64),), aspect_ratios=((0.5, 1.0, 2.0),))
    box_pool = MultiScaleRoIAlign(featmap_names=["0"], output_size=7, sampling_ratio=2)
    mask_pool = MultiScaleRoIAlign(featmap_names=["0"], output_size=14, sampling_ratio=2)
    model = MaskRCNN(
        backbone,
        num_classes=None,
        min_size=size,
        max_size=size,
        rpn_anchor_generator=anchors,
        box_roi_pool=box_pool,
        mask_roi_pool=mask_pool,
        # Small heads keep the file in the tens of kilobytes (the defaults alone are 14 MB).
        box_head=TwoMLPHead(channels * 7 * 7, 32),
        box_predictor=FastRCNNPredictor(32, num_classes),
        mask_head=MaskRCNNHeads(channels, (8, 8), 1),
        mask_predictor=MaskRCNNPredictor(8, 8, num_classes),
        rpn_pre_nms_top_n_test=100,
        rpn_post_nms_top_n_test=50,
        # Random weights score every class near 1/num_classes: a zero threshold keeps a fixed number of detections,
        # so the export always yields instances for the decoder to read.
        box_score_thresh=0.0,
        box_detections_per_img=8,
    )
    model.eval()
    return model


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--size", type=int, default=160)
    p.add_argument("--classes", type=int, default=4)
    a = p.parse_args()
    model = build(a.classes, a.size)
    x = torch.rand(3, a.size, a.size)
    with torch.no_grad():
        torch.onnx.export(
            model, ([x],), a.out, opset_version=11,
            input_names=["images"], output_names=["boxes", "labels", "scores", "masks"],
            dynamic_axes={"boxes": {0: "n"}, "labels": {0: "n"}, "scores": {0: "n"}, "masks": {0: "n"}},
            do_constant_folding=True)
    print(f"wrote {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
