#!/usr/bin/env bash
# Ratings a second against the rows of the user table, dense and row-sparse, each point bounded
# by benchmark --steps (the first 20 steps are warm-up and land in the same figure; use enough
# steps). Prints one line per point. Outside CI. Heap: the 10^7 point's lazy Adam keeps 5.1 GB.
#   benchmarks/sparse-tables/scaling.sh [ROWS...]     default: 10000 100000 1000000 10000000
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/../.."
export EMBTRAIN_JAVA_OPTS="${EMBTRAIN_JAVA_OPTS:--Xmx14g}"
rows=("$@")
[[ ${#rows[@]} -gt 0 ]] || rows=(10000 100000 1000000 10000000)
for n in "${rows[@]}"; do
  ratings=$(( n > 1000000 ? n + n / 5 : 1200000 ))
  # DJL saves a parameter as one array of at most 2 GB: 10^7 rows x 48 factors is the widest there.
  factors=$(( n >= 10000000 ? 48 : 64 ))
  common=(--set "dataset.users=$n" --set "dataset.ratings=$ratings" --set "dataset.path=data/scaling-$n" --set "model.factors=$factors")
  for mode in dense sparse rowwise; do
    case "$mode" in
      # A dense step walks the whole table: bound it by rows so no point runs past a few minutes.
      dense) steps=$(( n >= 10000000 ? 12 : n >= 1000000 ? 40 : 200 )); set_opt=(--set training.optimizer.sparse=false) ;;
      sparse) steps=1000; set_opt=(--set training.optimizer.sparse=true) ;;
      rowwise) steps=1000; set_opt=(--set training.optimizer.type=rowwise-adagrad --set training.optimizer.sparse=true) ;;
    esac
    start=$(date +%s)
    line=$(./embtrain benchmark "$here/scaling.yaml" "${common[@]}" "${set_opt[@]}" --steps "$steps" 2>&1 \
      | awk '$2 == "ratings"' | tail -1)
    echo "rows $n $mode steps $steps: $line (wall $(( $(date +%s) - start )) s)"
  done
done
