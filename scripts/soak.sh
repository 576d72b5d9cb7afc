#!/usr/bin/env bash
# Soak: the demo pipeline (`realtimeseg run --config configs/demo.yaml`: synthetic drive → bundled model → tracker →
# ZeroMQ publisher) with a real subscriber for SECONDS (default 600), then a per-minute report of working set, managed
# heap, gen2 collections, capture → publish p99 (--latency-window 60: one window a minute) and drops, read from the
# --stats file the run rewrites every second (minute-N.json keeps each minute's copy).
# Not a CI test: the figures go to docs/benchmarks.md with the machine's load. Installs nothing.
#   scripts/soak.sh [SECONDS] [OUT_DIR]          e.g. nice -n 10 scripts/soak.sh 600 soak-out
#   RSEG_SOAK_ARGS="--pace max" scripts/soak.sh  extra arguments for `realtimeseg run`
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-600}
out=${2:-soak-out}
mkdir -p "$out"
cli=src/RealtimeSeg.Cli/bin/Release/net10.0/linux-x64/realtimeseg.dll
if [ ! -f "$cli" ]; then
    dotnet build src/RealtimeSeg.Cli -c Release -nologo -clp:ErrorsOnly -v q >&2
fi

# SIGTERM, not SIGINT: a non-interactive shell starts background commands with SIGINT ignored.
demo=""; sub=""
stop() {
    [ -n "$sub" ] && kill -TERM "$sub" 2>/dev/null || true
    [ -n "$demo" ] && kill -TERM "$demo" 2>/dev/null || true
}
trap stop EXIT INT TERM

# shellcheck disable=SC2086  # RSEG_SOAK_ARGS is a list of arguments
dotnet "$cli" run --config configs/demo.yaml --publish 'tcp://127.0.0.1:*' --latency-window 60 --stats "$out/stats.json" ${RSEG_SOAK_ARGS:-} 2>"$out/demo.log" &
demo=$!
endpoint=""
while [ -z "$endpoint" ]; do
    kill -0 "$demo" 2>/dev/null || { echo "the run ended before publishing:" >&2; cat "$out/demo.log" >&2; exit 1; }
    sleep 0.5
    endpoint=$(grep -o 'subscribe --connect tcp://[0-9.:]*' "$out/demo.log" | head -1 | awk '{print $3}' || true)
done
dotnet "$cli" subscribe --connect "$endpoint" >/dev/null 2>"$out/subscribe.log" &
sub=$!
echo "soak: demo (pid $demo) publishing on $endpoint, subscriber pid $sub, for $duration s; load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

for ((m = 1; m * 60 <= duration; m++)); do
    sleep 60
    cp "$out/stats.json" "$out/minute-$m.json"
    echo "soak: minute $m, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done
kill -TERM "$sub"; wait "$sub" || true; sub=""
kill -TERM "$demo"; wait "$demo" || true; demo=""

/usr/bin/python3 - "$out" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import glob, json, os, sys
out, load = sys.argv[1], sys.argv[2]
minutes = sorted(glob.glob(os.path.join(out, "minute-*.json")), key=lambda p: int(p.rsplit("-", 1)[1].split(".")[0]))
final = json.load(open(os.path.join(out, "stats.json")))
rows, prev = [], None
for path in minutes:
    s = json.load(open(path))
    rows.append(s)
windows = final.get("latency_windows", [])
def window(i, key="capture_to_publish"):
    return windows[i - 1][key]["p99"] if i - 1 < len(windows) else float("nan")
lines = ["| minute | elapsed s | working set MiB | managed heap MiB | gen2 (total) | published | dropped in the minute | capture→publish p99 ms | inference p99 ms |",
         "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
prev_dropped, prev_t = 0, 0.0
for i, s in enumerate(rows, 1):
    t = s["elapsed_s"]
    lines.append(f"| {i} | {t:.0f} | {s['working_set_bytes']/2**20:.1f} | {s['managed_heap_bytes']/2**20:.1f} | {s['gc_gen2_collections']} | "
                 f"{s['frames_published']} | {s['frames_dropped'] - prev_dropped} | {window(i):.1f} | {window(i, 'inference'):.1f} |")
    prev_dropped, prev_t = s["frames_dropped"], t
if len(rows) >= 2:
    first, last = rows[0], rows[-1]
    growth = (last["working_set_bytes"] - first["working_set_bytes"]) / first["working_set_bytes"] * 100
    p99_first, p99_last = window(1), window(len(rows))
    lines += ["",
              f"working set growth after the first minute: {growth:+.1f} % (budget ≤ 5 %)",
              f"capture→publish p99 last minute / first: {p99_last:.1f} / {p99_first:.1f} ms = {p99_last / p99_first:.2f} (budget ≤ 1.2)",
              f"gen2 collections: {final['gc_gen2_collections']} in the whole run, {last['gc_gen2_collections'] - first['gc_gen2_collections']} after the first minute (budget 0)",
              f"drops: {final['frames_dropped']} of {final['frames_captured']} captured ({final['frames_dropped'] / max(1, final['elapsed_s'] / 60):.0f}/min; the synthetic source runs at 30 frames/s, faster than one CPU model run)",
              f"throughput {final['throughput_fps']:.1f} frames/s, {final['managed_alloc_bytes_per_frame']:.0f} managed bytes/frame after warm-up; load at the end: {load}"]
text = "\n".join(lines) + "\n"
open(os.path.join(out, "soak.md"), "w").write(text)
print(text)
PY
