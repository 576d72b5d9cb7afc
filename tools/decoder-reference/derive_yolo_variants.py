#!/usr/bin/python3
"""Derives two test models from the YOLOv8n-seg asset by ONNX graph surgery, for decoder families that have no
model among the shared assets. Nothing here is committed: the weights are the asset's (AGPL-3.0, tests only), so
tests run this into a temporary folder.

  yolo-detect: output0 [1,116,2100] sliced to its first 4+80 rows -> [1,84,2100], the prototypes dropped,
               metadata task=detect. Exactly the layout of an Ultralytics v8/v11 detection export.
  yolo-e2e:    output0 transposed to [1,2100,116], boxes turned into corners, best class score and id computed,
               the top 300 rows by score kept -> [1,300,6+32] plus the prototypes, metadata end2end=True.
               The layout of an Ultralytics nms=True (YOLO26/YOLOv10-style) segmentation export; the "NMS" is a
               plain top-k, which is all the decoder can tell from outside.

Usage: /usr/bin/python3 derive_yolo_variants.py YOLOV8N_SEG.onnx OUT_DIR
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROWS = 300


def const(name, values, dtype=np.int64):
    return numpy_helper.from_array(np.asarray(values, dtype=dtype), name)


def set_meta(model, **kv):
    existing = {p.key: p for p in model.metadata_props}
    for k, v in kv.items():
        if k in existing:
            existing[k].value = v
        else:
            model.metadata_props.append(onnx.StringStringEntryProto(key=k, value=v))


def detect(src, out):
    m = onnx.load(src)
    g = m.graph
    head = g.output[0].name
    g.initializer.extend([const("d_starts", [0]), const("d_ends", [84]), const("d_axes", [1])])
    g.node.append(helper.make_node("Slice", [head, "d_starts", "d_ends", "d_axes"], ["detect0"]))
    del g.output[:]
    g.output.append(helper.make_tensor_value_info("output0", TensorProto.FLOAT, [1, 84, 2100]))
    g.node[-1].output[0] = "output0"
    # The original head keeps its internal name; rename it so the new output can be called output0.
    for n in g.node:
        for i, o in enumerate(n.output):
            if o == head and n is not g.node[-1]:
                n.output[i] = "raw_head"
        for i, x in enumerate(n.input):
            if x == head:
                n.input[i] = "raw_head"
    set_meta(m, task="detect")
    onnx.save(m, out)


def end_to_end(src, out):
    m = onnx.load(src)
    g = m.graph
    head, proto = g.output[0].name, g.output[1].name
    for n in g.node:
        for i, o in enumerate(n.output):
            if o == head:
                n.output[i] = "raw_head"
        for i, x in enumerate(n.input):
            if x == head:
                n.input[i] = "raw_head"
    g.initializer.extend([
        const("e_axes2", [2]),
        const("s0", [0]), const("s2", [2]), const("s4", [4]), const("s84", [84]), const("s116", [116]),
        const("k", [ROWS]),
        numpy_helper.from_array(np.asarray(0.5, dtype=np.float32), "half"),
    ])
    nodes = [
        helper.make_node("Transpose", ["raw_head"], ["t"], perm=[0, 2, 1]),            # [1,2100,116]
        helper.make_node("Slice", ["t", "s0", "s2", "e_axes2"], ["cxcy"]),
        helper.make_node("Slice", ["t", "s2", "s4", "e_axes2"], ["wh"]),
        helper.make_node("Slice", ["t", "s4", "s84", "e_axes2"], ["cls"]),
        helper.make_node("Slice", ["t", "s84", "s116", "e_axes2"], ["coef"]),
        helper.make_node("Mul", ["wh", "half"], ["hwh"]),
        helper.make_node("Sub", ["cxcy", "hwh"], ["xy1"]),
        helper.make_node("Add", ["cxcy", "hwh"], ["xy2"]),
        helper.make_node("ReduceMax", ["cls", "e_axes2"], ["score"], keepdims=1),  # opset 18+: axes as input
        helper.make_node("ArgMax", ["cls"], ["cid"], axis=2, keepdims=1),
        helper.make_node("Cast", ["cid"], ["cidf"], to=TensorProto.FLOAT),
        helper.make_node("Concat", ["xy1", "xy2", "score", "cidf", "coef"], ["rows"], axis=2),  # [1,2100,38]
        helper.make_node("Squeeze", ["score", "e_axes2"], ["score1"]),                      # [1,2100]
        helper.make_node("TopK", ["score1", "k"], ["top_v", "top_i"], axis=1, largest=1, sorted=1),
        helper.make_node("Squeeze", ["top_i", "s0"], ["idx"]),                              # [300]
        helper.make_node("Gather", ["rows", "idx"], ["output0"], axis=1),                 # [1,300,38]
    ]
    g.node.extend(nodes)
    del g.output[:]
    g.output.append(helper.make_tensor_value_info("output0", TensorProto.FLOAT, [1, ROWS, 38]))
    g.output.append(helper.make_tensor_value_info(proto, TensorProto.FLOAT, [1, 32, 80, 80]))
    set_meta(m, end2end="True")
    onnx.save(m, out)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    src, out_dir = sys.argv[1], sys.argv[2]
    detect(src, f"{out_dir}/yolov8n-detect-derived.onnx")
    end_to_end(src, f"{out_dir}/yolov8n-seg-e2e-derived.onnx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
