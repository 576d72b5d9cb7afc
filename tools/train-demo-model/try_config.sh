#!/usr/bin/env bash
# Scores variants of configs/demo.yaml on tuning seeds (never the held-out seed 999 when choosing): each VARIANT is a
# space-separated list of section.key=value changes ("model.iou_threshold=0.5 panoptic.mask_threshold=0.1"; value
# "none" removes the key; "-" is the file as it is). Comma-separated values make a grid: every combination is a row
# ("tracker.high_score_threshold=0.4,0.5 tracker.new_track_threshold=0.5,0.6" is 4 rows). Per row it writes the changed
# copy, runs evaluate.sh on every seed and prints HOTA and PQ per seed and their mean (models/training/tune.log); a row
# the pipeline refuses (e.g. new_track_threshold under high_score_threshold) prints the pipeline's error instead.
# With more than one row, the best mean HOTA is printed last.
#   tools/train-demo-model/try_config.sh MODEL "SEEDS" VARIANT...
#   e.g. tools/train-demo-model/try_config.sh models/realtimeseg-demo.onnx "997 998" - "model.merge_iou_threshold=none"
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ $# -lt 3 ]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
model=$(realpath "$1")
seeds=$2
shift 2
work=$(mktemp -d /tmp/realtimeseg-try.XXXXXX)
trap 'rm -rf "$work"' EXIT
# Writes one changed copy of the config per row, $work/row-N.yaml, and prints "N<TAB>label" per row. Edits the YAML as
# text so the comments stay: a key is replaced inside its top-level section, or added at the section's top when the
# file lacks it; a section the file does not have is an error naming it.
/usr/bin/python3 - configs/demo.yaml "$work" "$@" > "$work/rows" <<'EOF'
import itertools, re, sys
src, work, variants = sys.argv[1], sys.argv[2], sys.argv[3:]
base = open(src).read().split("\n")
row = 0
for variant in variants:
    changes = [] if variant.strip() == "-" else variant.split()
    axes = []
    for change in changes:
        path, _, values = change.partition("=")
        section, _, key = path.partition(".")
        if not key or not values:
            sys.exit(f"try_config.sh: '{change}' is not section.key=value[,value...]")
        if f"{section}:" not in base:
            sys.exit(f"try_config.sh: configs/demo.yaml has no top-level section '{section}:' (in '{change}')")
        axes.append([(section, key, v) for v in values.split(",")])
    for combination in itertools.product(*axes):
        lines = list(base)
        for section, key, value in combination:
            start = lines.index(f"{section}:")
            end = next((i for i in range(start + 1, len(lines)) if lines[i] and not lines[i].startswith((" ", "#"))), len(lines))
            at = next((i for i in range(start + 1, end) if re.match(rf"  {re.escape(key)}:", lines[i])), None)
            if value == "none":
                if at is not None:
                    del lines[at]
            elif at is not None:
                lines[at] = f"  {key}: {value}"
            else:
                lines.insert(start + 1, f"  {key}: {value}")
        open(f"{work}/row-{row}.yaml", "w").write("\n".join(lines))
        label = " ".join(f"{s}.{k}={v}" for s, k, v in combination) or "-"
        print(f"{row}\t{label}")
        row += 1
EOF
results=()
while IFS=$'\t' read -r n label; do
  line=$(printf '%-40s' "${label}:")
  sum_h=0; sum_p=0; count=0
  for seed in $seeds; do
    if ! out=$(REALTIMESEG_EVAL_CONFIG="$work/row-$n.yaml" tools/train-demo-model/evaluate.sh "$model" "$seed" 300 "$work/eval" 2>&1); then
      line="$line seed $seed failed: $(echo "$out" | grep -m1 -i "error\|invalid\|must" || echo "$out" | tail -1)"
      count=0
      break
    fi
    pq=$(echo "$out" | awk '$1 == "All" { print $3 }')
    hota=$(echo "$out" | awk '/^synth-drive-seed/ { print $2 }')
    line="$line seed $seed HOTA $hota PQ $pq "
    sum_h=$(echo "$sum_h + $hota" | bc -l); sum_p=$(echo "$sum_p + $pq" | bc -l); count=$((count + 1))
  done
  if [ "$count" -gt 0 ]; then
    mean=$(printf "%.2f" "$(echo "$sum_h / $count" | bc -l)")
    line="$line mean HOTA $mean PQ $(printf "%.2f" "$(echo "$sum_p / $count" | bc -l)")"
    results+=("$mean|$line")
  fi
  echo "$line"
done < "$work/rows"
if [ "$(wc -l < "$work/rows")" -gt 1 ] && [ ${#results[@]} -gt 0 ]; then
  echo "== best"
  printf '%s\n' "${results[@]}" | sort -t'|' -k1,1 -g | tail -1 | cut -d'|' -f2
fi
