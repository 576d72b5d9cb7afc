#!/usr/bin/env bash
# Picks the demo config's detection and tracker thresholds on tuning seeds (never the held-out seed 999): for every
# combination it writes a copy of configs/demo.yaml with those values, runs evaluate.sh on each seed and prints HOTA
# and PQ per seed and their mean, best HOTA last.
#   tools/train-demo-model/tune_tracker.sh [MODEL] [SEEDS] [FRAMES]      defaults: the bundled model, "997 998", 300
# Grid (override with space-separated env values): CONFIDENCE="0.2 0.3" HIGH="0.4 0.5" NEW_TRACK="0.4 0.5 0.6"
# TENTATIVE="none" (tentative_track_threshold values; "none" leaves it off) CONFIRM="3" (tentative_confirm_frames)
set -euo pipefail
cd "$(dirname "$0")/../.."
model=$(realpath "${1:-models/realtimeseg-demo.onnx}")
seeds=${2:-997 998}
frames=${3:-300}
work=$(mktemp -d /tmp/realtimeseg-tune.XXXXXX)
trap 'rm -rf "$work"' EXIT
results=()
confirms=${CONFIRM:-3}
for conf in ${CONFIDENCE:-0.2 0.3}; do
  for high in ${HIGH:-0.4 0.5}; do
    for new in ${NEW_TRACK:-0.4 0.5 0.6}; do
      for tentative in ${TENTATIVE:-none}; do
      for confirm in $confirms; do
      if (( $(echo "$new < $high" | bc -l) )); then
        continue   # the tracker requires new_track_threshold ≥ high_score_threshold
      fi
      extra=""
      line="confidence $conf high $high new_track $new:"
      if [ "$tentative" != none ]; then
        if (( $(echo "$tentative < $high || $tentative > $new" | bc -l) )); then
          continue   # … and high ≤ tentative_track_threshold ≤ new_track_threshold
        fi
        extra="\n  tentative_track_threshold: $tentative\n  tentative_confirm_frames: $confirm"
        line="confidence $conf high $high new_track $new tentative $tentative confirm $confirm:"
      elif [ "$confirm" != "${confirms%% *}" ]; then
        continue   # confirm frames mean nothing without tentative tracks: one row is enough
      fi
      cfg="$work/demo-$conf-$high-$new-$tentative-$confirm.yaml"
      sed -e "s/^  confidence_threshold: .*/  confidence_threshold: $conf/" \
          -e "s/^  match_iou_threshold: .*/  match_iou_threshold: 0.05\n  high_score_threshold: $high\n  new_track_threshold: $new$extra/" configs/demo.yaml > "$cfg"
      sum_h=0; sum_p=0; n=0
      for seed in $seeds; do
        if ! out=$(REALTIMESEG_EVAL_CONFIG="$cfg" tools/train-demo-model/evaluate.sh "$model" "$seed" "$frames" "$work/eval" 2>&1); then
          echo "$line seed $seed failed: $(echo "$out" | tail -1)" >&2
          continue 2
        fi
        pq=$(echo "$out" | awk '$1 == "All" { print $3 }')
        hota=$(echo "$out" | awk '/^synth-drive-seed/ { print $2 }')
        line="$line  seed $seed HOTA $hota PQ $pq"
        sum_h=$(echo "$sum_h + $hota" | bc -l); sum_p=$(echo "$sum_p + $pq" | bc -l); n=$((n + 1))
      done
      mean=$(printf "%.2f" "$(echo "$sum_h / $n" | bc -l)")
      line="$line  mean HOTA $mean PQ $(printf "%.2f" "$(echo "$sum_p / $n" | bc -l)")"
      echo "$line"
      results+=("$mean|$line")
      done
      done
    done
  done
done
echo "== best"
printf '%s\n' "${results[@]}" | sort -t'|' -k1,1 -g | tail -1 | cut -d'|' -f2
