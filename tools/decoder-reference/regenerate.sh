#!/usr/bin/env bash
# Regenerates tests/data/decoders/*.json: each case runs one real frame through a model with the C# pipeline's
# preprocessing (`realtimeseg models run --save-outputs`), then decodes the saved raw outputs with the numpy
# reference decoders (reference_decode.py), which never see the C# decoders' results.
# Usage: tools/decoder-reference/regenerate.sh   (from the repository root, after `dotnet build src/RealtimeSeg.Cli -c Release`)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
assets=${REALTIMESEG_ASSETS:-$root/../shared/assets}
cli=$root/src/RealtimeSeg.Cli/bin/Release/net10.0/linux-x64/realtimeseg
py=/usr/bin/python3
out=$root/tests/data/decoders
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$py" "$root/tools/decoder-reference/derive_yolo_variants.py" "$assets/models/yolov8n-seg-int8-320.onnx" "$work"

# family | model file | video (under assets/videos) | frame | confidence | config (input convention), optional
cases=(
  "yolo-seg|$assets/models/yolov8n-seg-int8-320.onnx|udacity-cars-1280x720.mp4|10|0.25"
  "yolo-seg|$assets/models/yolov8n-seg-int8-320.onnx|intel-parking-cars-768x432.mp4|200|0.25"
  "yolo-seg|$assets/models/yolov8n-seg-int8-320.onnx|intel-people-768x432.mp4|300|0.25"
  "yolox|$assets/models/yolox-nano-416.onnx|udacity-cars-1280x720.mp4|10|0.25"
  "yolox|$assets/models/yolox-nano-416.onnx|udacity-highway-960x540.mp4|100|0.25"
  "yolo-detect|$work/yolov8n-detect-derived.onnx|intel-parking-cars-768x432.mp4|200|0.25"
  "yolo-e2e|$work/yolov8n-seg-e2e-derived.onnx|udacity-cars-1280x720.mp4|10|0.25"
  "maskrcnn|$root/tests/data/decoders/maskrcnn-small-160.onnx|udacity-cars-1280x720.mp4|10|0"
  "semantic|$assets/models/road-segmentation-adas-0001.onnx|udacity-highway-960x540.mp4|100|0.25|$root/configs/road-segmentation-adas-0001.yaml"
  "semantic|$assets/models/deeplabv3-mobilenetv2-voc-257.onnx|intel-people-768x432.mp4|300|0.25|$root/configs/deeplabv3-mobilenetv2-voc-257.yaml"
  "semantic|$assets/models/deeplabv3-mobilenetv2-voc-257.onnx|udacity-cars-1280x720.mp4|0|0.25|$root/configs/deeplabv3-mobilenetv2-voc-257.yaml"
)
for c in "${cases[@]}"; do
  IFS='|' read -r family model video frame conf config <<<"$c"
  name=$(basename "$model" .onnx).$(basename "$video" .mp4)-f$frame
  extra=()
  if [[ -n "${config:-}" ]]; then extra=(--config "$config"); fi
  "$cli" models run "$model" --image "$assets/videos/$video" --frame "$frame" --confidence "$conf" "${extra[@]}" --save-outputs "$work/$name" >/dev/null
  "$py" "$root/tools/decoder-reference/reference_decode.py" "$family" "$work/$name" "$out/$name.json" \
    --source "videos/$video" --frame "$frame" --confidence "$conf"
done
