#!/usr/bin/env bash
# Demo fps and drops with and without a browser on the viewer (docs/benchmarks.md, "Live viewer").
# Three conditions, interleaved so that machine load hits each alike, REPS times:
#   none     demo --http none                      (no endpoint, no JPEG encoding)
#   http     demo --http 127.0.0.1:PORT            (endpoint and JPEG encoding, no browser)
#   browser  as http, with headless Debian chromium showing the viewer page the whole run
# Prints one line per run: condition, frames published/dropped, throughput, the demo process's CPU seconds, and for
# "browser" the frames sent to the page (scraped from /metrics just before the end).
#   tools/viewer-bench/demo_with_browser.sh [REPS=3] [FRAMES=450]
set -euo pipefail
reps=${1:-3}
frames=${2:-450}
root=$(cd "$(dirname "$0")/../.." && pwd)
cli="$root/src/RealtimeSeg.Cli/bin/Release/net10.0/linux-x64/realtimeseg.dll"
out=$(mktemp -d)
port=18480
echo "# $(date -u +%FT%TZ)  $(nproc) cores  load: $(cut -d' ' -f1-3 /proc/loadavg)  frames/run: $frames"
printf "%-8s %4s %9s %7s %9s %8s %10s\n" condition rep published dropped fps cpu_s sent_to_page
for rep in $(seq 1 "$reps"); do
    for cond in none http browser; do
        http="127.0.0.1:$port"
        [ "$cond" = none ] && http=none
        browser_pid=""
        if [ "$cond" = browser ]; then
            # The page retries its WebSocket every second, so it attaches as soon as the demo's endpoint is up.
            chromium --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
                --user-data-dir="$out/profile-$rep" --window-size=1400,900 "http://$http/" >/dev/null 2>&1 &
            browser_pid=$!
        fi
        stats="$out/$cond-$rep.json"
        /usr/bin/time -f "%U %S" -o "$out/$cond-$rep.time" \
            dotnet "$cli" demo --publish 'tcp://127.0.0.1:*' --http "$http" --max-frames "$frames" --stats "$stats" \
            >/dev/null 2>"$out/$cond-$rep.err" &
        demo_pid=$!
        sent="-"
        if [ "$cond" = browser ]; then
            # Scrape while the run lasts: 3/4 of its frames at 30 frames/s, after start-up.
            sleep $(( frames * 3 / 4 / 30 + 8 ))
            sent=$(curl -s "http://$http/metrics" | awk '/^rseg_viewer_frames_sent_total/ {print $2}')
        fi
        wait "$demo_pid"
        [ -n "$browser_pid" ] && kill "$browser_pid" && wait "$browser_pid" 2>/dev/null || true
        read -r user sys < "$out/$cond-$rep.time"
        /usr/bin/python3 - "$stats" "$cond" "$rep" "$user" "$sys" "$sent" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
cond, rep, user, sys_, sent = sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5]), sys.argv[6]
print(f"{cond:<8} {rep:>4} {s['frames_published']:>9} {s['frames_dropped']:>7} {s['throughput_fps']:>9.1f} {user + sys_:>8.1f} {sent:>10}")
PY
    done
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$out"
