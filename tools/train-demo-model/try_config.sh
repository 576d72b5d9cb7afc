#!/usr/bin/env bash
# Scores variants of configs/demo.yaml on tuning seeds (never the held-out seed 999 when choosing): each VARIANT is a
# space-separated list of section.key=value changes ("model.iou_threshold=0.5 panoptic.mask_threshold=0.1"; value
# "none" removes the key; "-" is the file as it is). Per variant it writes the changed copy, runs evaluate.sh on every
# seed and prints HOTA and PQ per seed and their mean, in the format of models/training/tune.log.
#   tools/train-demo-model/try_config.sh MODEL "SEEDS" VARIANT...
#   e.g. tools/train-demo-model/try_config.sh models/realtimeseg-demo.onnx "997 998" - "model.merge_iou_threshold=none"
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ $# -lt 3 ]; then
  sed -n '2,7p' "$0" >&2
  exit 2
fi
model=$(realpath "$1")
seeds=$2
shift 2
work=$(mktemp -d /tmp/realtimeseg-try.XXXXXX)
trap 'rm -rf "$work"' EXIT
for variant in "$@"; do
  cfg="$work/demo.yaml"
  # Edits the YAML as text so the comments stay: a key is replaced inside its top-level section, or added at the
  # section's top when the file lacks it; a section that does not exist is an error naming it.
  /usr/bin/python3 - configs/demo.yaml "$cfg" "$variant" <<'EOF'
import re, sys
src, dst, variant = sys.argv[1], sys.argv[2], sys.argv[3]
lines = open(src).read().split("\n")
for change in ([] if variant.strip() == "-" else variant.split()):
    path, _, value = change.partition("=")
    section, _, key = path.partition(".")
    if not key or not value:
        sys.exit(f"try_config.sh: '{change}' is not section.key=value")
    try:
        start = lines.index(f"{section}:")
    except ValueError:
        sys.exit(f"try_config.sh: configs/demo.yaml has no top-level section '{section}:' (in '{change}')")
    end = next((i for i in range(start + 1, len(lines)) if lines[i] and not lines[i].startswith((" ", "#"))), len(lines))
    at = next((i for i in range(start + 1, end) if re.match(rf"  {re.escape(key)}:", lines[i])), None)
    if value == "none":
        if at is not None:
            del lines[at]
    elif at is not None:
        lines[at] = f"  {key}: {value}"
    else:
        lines.insert(start + 1, f"  {key}: {value}")
open(dst, "w").write("\n".join(lines))
EOF
  line=$(printf '%-40s' "${variant}:")
  sum_h=0; sum_p=0; n=0
  for seed in $seeds; do
    if ! out=$(REALTIMESEG_EVAL_CONFIG="$cfg" tools/train-demo-model/evaluate.sh "$model" "$seed" 300 "$work/eval" 2>&1); then
      echo "$variant: seed $seed failed: $(echo "$out" | tail -1)" >&2
      exit 1
    fi
    pq=$(echo "$out" | awk '$1 == "All" { print $3 }')
    hota=$(echo "$out" | awk '/^synth-drive-seed/ { print $2 }')
    line="$line seed $seed HOTA $hota PQ $pq "
    sum_h=$(echo "$sum_h + $hota" | bc -l); sum_p=$(echo "$sum_p + $pq" | bc -l); n=$((n + 1))
  done
  echo "$line mean HOTA $(printf "%.2f" "$(echo "$sum_h / $n" | bc -l)") PQ $(printf "%.2f" "$(echo "$sum_p / $n" | bc -l)")"
done
