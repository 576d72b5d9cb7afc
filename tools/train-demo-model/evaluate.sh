#!/usr/bin/env bash
# Scores a model through the whole pipeline on a held-out synthetic drive (models/README.md, "Held-out evaluation").
#   tools/train-demo-model/evaluate.sh [MODEL] [SEED] [FRAMES] [OUT]
# Defaults: the bundled model, seed 999, 300 frames, /tmp/realtimeseg-eval. Renders the ground truth with
# `synth export`, runs `realtimeseg run` in lockstep pacing (nothing dropped) on the same seed at 1280x720 with
# --dump-mot/--dump-panoptic, then prints `eval panoptic` (PQ) and `eval mot --class all` (HOTA over every object).
set -euo pipefail
cd "$(dirname "$0")/../.."
model=${1:-models/realtimeseg-demo.onnx}
seed=${2:-999}
frames=${3:-300}
out=${4:-/tmp/realtimeseg-eval}
cli=src/RealtimeSeg.Cli/bin/Release/net10.0/linux-x64/realtimeseg
[ -x "$cli" ] || dotnet build src/RealtimeSeg.Cli -c Release -nologo -clp:ErrorsOnly >/dev/null
rm -rf "$out" && mkdir -p "$out"
"$cli" synth export --seed "$seed" --frames "$frames" --size 1280x720 --out "$out/gt" >/dev/null 2>&1
seq="$out/gt/synth-drive-seed$seed"
"$cli" run --config "${REALTIMESEG_EVAL_CONFIG:-configs/demo.yaml}" --model "$model" --source "synthetic:drive?seed=$seed&size=1280x720&fps=30" \
    --pace lockstep --max-frames "$frames" --stats "$out/stats.json" \
    --dump-mot "$out/pred-mot.txt" --dump-panoptic "$out/pred-panoptic" --publish "${REALTIMESEG_EVAL_ENDPOINT:-tcp://127.0.0.1:5591}" -q
echo "== eval panoptic (seed $seed, $frames frames)"
"$cli" eval panoptic --gt-json "$seq/panoptic.json" --pred-json "$out/pred-panoptic/panoptic.json"
echo "== eval mot --class all (seed $seed, $frames frames)"
"$cli" eval mot --gt "$seq/gt/gt.txt" --pred "$out/pred-mot.txt" --class all
