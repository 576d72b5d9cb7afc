"""A training checkpoint's raw instance head (no NMS, tracker or masks) on the frames of a `synth export` sequence,
for the diagnosis tools (missed_scores.py, nms_pairs.py): the checkpoint is loaded once, each frame is brought to the
model's 1024x576 input as the pipeline does it, and every anchor's box comes back in image pixels with its best class
score, class and stride."""
import numpy as np
import torch
from PIL import Image

from model import DemoNet, decode_boxes, flatten_levels, grids
from train import xywh_to_xyxy

INPUT_H, INPUT_W = 576, 1024


class RawHead:
    def __init__(self, checkpoint):
        torch.set_num_threads(2)
        torch.set_flush_denormal(True)
        self.net = DemoNet()
        self.net.load_state_dict(torch.load(checkpoint))
        self.net.eval()
        self.centres, self.strides = grids(INPUT_H, INPUT_W, "cpu")

    def frame(self, sequence, frame):
        """(boxes xyxy in image px, score, class, stride) per anchor for img1/FRAME.png of SEQUENCE; None when absent."""
        try:
            image = Image.open(f"{sequence}/img1/{frame:06d}.png").convert("RGB")
        except FileNotFoundError:
            return None
        scale = INPUT_W / image.width
        x = torch.from_numpy(np.array(image.resize((INPUT_W, INPUT_H), Image.BILINEAR))).permute(2, 0, 1)[None].float() / 255.0
        with torch.no_grad():
            raw, cls, _ = flatten_levels(self.net(x)[0])
            boxes = xywh_to_xyxy(decode_boxes(raw, self.centres, self.strides))[0] / scale
            score, label = torch.sigmoid(cls)[0].max(-1)
        return boxes, score, label, self.strides
