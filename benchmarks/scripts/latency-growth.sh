#!/usr/bin/env bash
# Capture-to-publish latency must not grow when a source outruns inference (DESIGN §7, issue "several streams").
# Runs the real pipeline for DURATION seconds on a 60 fps synthetic drive (far faster than the CPU model can infer),
# with capture→publish summarized per WINDOW-second window in --stats, then checks
#     p99(last full window) ≤ 1.2 × p99(first window)
# and prints the windows. Exit 0 when the check holds, 1 when it does not, 2 on bad usage.
#   benchmarks/scripts/latency-growth.sh [OUT_DIR]     (env: DURATION=120 WINDOW=30 FPS=60 SIZE=1280x720 MODEL=… PORT=…)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
assets="${REALTIMESEG_ASSETS:-$root/../shared/assets}"
out="${1:-$(mktemp -d)}"
duration="${DURATION:-120}"; window="${WINDOW:-30}"; fps="${FPS:-60}"; size="${SIZE:-1280x720}"
model="${MODEL:-$assets/models/yolov8n-seg-int8-320.onnx}"
port="${PORT:-$((20000 + RANDOM % 20000))}"
[[ -f "$model" ]] || { echo "model not found: $model (set MODEL or REALTIMESEG_ASSETS)" >&2; exit 2; }
mkdir -p "$out"
dotnet build -c Release "$root/src/RealtimeSeg.Cli" -v q -nologo >/dev/null
cli="$root/src/RealtimeSeg.Cli/bin/Release/net10.0/linux-x64/realtimeseg.dll"
frames=$((duration * fps))
set -x
dotnet "$cli" run --source "synthetic:drive?seed=1&size=$size&fps=$fps" --model "$model" --pace realtime \
    --max-frames "$frames" --latency-window "$window" --publish "tcp://127.0.0.1:$port" --stats "$out/stats.json" --quiet
set +x
/usr/bin/python3 - "$out/stats.json" "$window" <<'PY'
import json, sys
stats = json.load(open(sys.argv[1])); window = float(sys.argv[2])
wins = stats["latency_windows"]
full = [w for w in wins if w["end_s"] - w["start_s"] >= 0.9 * window and w["capture_to_publish"]["count"] > 0]
print("| window (s) | frames | capture→publish p50 / p99 / max (ms) | inference p50 / p99 (ms) |")
print("| --- | --- | --- | --- |")
for w in wins:
    l, i = w["capture_to_publish"], w["inference"]
    print(f'| {w["start_s"]:.1f}–{w["end_s"]:.1f} | {l["count"]} | {l["p50"]:.1f} / {l["p99"]:.1f} / {l["max"]:.1f} | {i["p50"]:.1f} / {i["p99"]:.1f} |')
e2e, inf = stats["latency_ms"]["capture_to_publish"], stats["latency_ms"]["inference"]
print(f'whole run: captured {stats["frames_captured"]}, published {stats["frames_published"]}, dropped {stats["frames_dropped"]}; '
      f'capture→publish p50 {e2e["p50"]} p99 {e2e["p99"]} ms; inference p50 {inf["p50"]} p99 {inf["p99"]} ms; '
      f'alloc {stats["managed_alloc_bytes_per_frame"]} B/frame; gen2 {stats["gc_gen2_collections"]}')
if len(full) < 2:
    print("not enough full windows to compare"); sys.exit(1)
first, last = full[0]["capture_to_publish"]["p99"], full[-1]["capture_to_publish"]["p99"]
ratio = last / first if first > 0 else float("inf")
print(f"p99 last window / first window = {last} / {first} = {ratio:.3f} (limit 1.2): {'PASS' if ratio <= 1.2 else 'FAIL'}")
sys.exit(0 if ratio <= 1.2 else 1)
PY
