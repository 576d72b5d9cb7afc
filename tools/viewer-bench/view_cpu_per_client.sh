#!/usr/bin/env bash
# Server CPU per viewer client (docs/benchmarks.md, "Live viewer"): `realtimeseg view` on a demo publisher (images on),
# with 0, 1 and 3 headless chromium pages attached; the view process's CPU seconds over a fixed window, and the frames
# it sent. The view process does what a pipeline's viewer does per frame (one packet copy, one send per client) plus
# the subscriber's receive and decode, which is the same for every client count: the differences are the per-client cost.
#   tools/viewer-bench/view_cpu_per_client.sh [WINDOW_S=20]
set -euo pipefail
window=${1:-20}
root=$(cd "$(dirname "$0")/../.." && pwd)
cli="$root/src/RealtimeSeg.Cli/bin/Release/net10.0/linux-x64/realtimeseg.dll"
out=$(mktemp -d)
ticks=$(getconf CLK_TCK)
cpu() { awk -v t="$ticks" '{print ($14 + $15) / t}' "/proc/$1/stat"; }
metric() { curl -s "http://127.0.0.1:18490/metrics" | awk -v m="$1" '$1 == m {print $2}'; }
echo "# $(date -u +%FT%TZ)  $(nproc) cores  load: $(cut -d' ' -f1-3 /proc/loadavg)  window: ${window}s"
dotnet "$cli" demo --publish tcp://127.0.0.1:15599 --http none --publish-images >/dev/null 2>"$out/demo.err" &
demo=$!
dotnet "$cli" view --connect tcp://127.0.0.1:15599 --http 127.0.0.1:18490 >/dev/null 2>"$out/view.err" &
view=$!
until curl -sf http://127.0.0.1:18490/readyz >/dev/null; do sleep 1; done
printf "%-8s %10s %12s %14s %12s\n" clients cpu_s frames_sent bytes_per_frame cpu_ms/frame_sent
for clients in 0 1 3; do
    pids=()
    for c in $(seq 1 "$clients"); do
        chromium --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
            --user-data-dir="$out/profile-$clients-$c" --window-size=1400,900 http://127.0.0.1:18490/ >/dev/null 2>&1 &
        pids+=($!)
    done
    until [ "$(metric rseg_viewer_clients)" = "$clients" ]; do sleep 1; done
    c0=$(cpu "$view"); s0=$(metric rseg_viewer_frames_sent_total); b0=$(metric rseg_viewer_sent_bytes_total)
    sleep "$window"
    c1=$(cpu "$view"); s1=$(metric rseg_viewer_frames_sent_total); b1=$(metric rseg_viewer_sent_bytes_total)
    /usr/bin/python3 -c "
c=$c1-$c0; s=$s1-$s0; b=$b1-$b0
print(f'{$clients:<8} {c:>10.2f} {s:>12.0f} {(b/s if s else 0):>14.0f} {(1000*c/s if s else 0):>12.2f}')"
    for p in "${pids[@]}"; do kill "$p"; wait "$p" 2>/dev/null || true; done
done
kill -INT "$view" "$demo"; wait "$view" "$demo" 2>/dev/null || true
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$out"
