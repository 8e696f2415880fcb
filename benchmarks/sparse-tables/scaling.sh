#!/usr/bin/env bash
# Ratings a second against the rows of the user table, dense and row-sparse, each point bounded
# by benchmark --steps (the first 20 steps are warm-up and land in the same figure; use enough
# steps). Prints one line per point, with its peak RSS. Outside CI. Heap: the 10^7 point's row-sparse
# Adam keeps 5.1 GB of moments. Transparent huge pages for the heap help there (EMBTRAIN_JAVA_OPTS=
# "-Xmx14g -XX:+UseTransparentHugePages"; docs/large-tables.md).
#   benchmarks/sparse-tables/scaling.sh [ROWS...]     default: 10000 100000 1000000 10000000
#   MODES="sparse rowwise" benchmarks/sparse-tables/scaling.sh 10000000   some of dense, sparse, lazy, rowwise
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here/../.."
export EMBTRAIN_JAVA_OPTS="${EMBTRAIN_JAVA_OPTS:--Xmx14g}"
rows=("$@")
[[ ${#rows[@]} -gt 0 ]] || rows=(10000 100000 1000000 10000000)
for n in "${rows[@]}"; do
  ratings=$(( n > 1000000 ? n + n / 5 : 1200000 ))
  for mode in ${MODES:-dense sparse lazy rowwise}; do
    # A table over 2 GB trains only row by row: the dense point at 10^7 rows has 48 factors (1.92 GB).
    factors=64
    if [[ "$mode" == dense && $n -ge 10000000 ]]; then factors=48; fi
    common=(--set "dataset.users=$n" --set "dataset.ratings=$ratings" --set "dataset.path=data/scaling-$n"
      --set "model.factors=$factors")
    case "$mode" in
      # A dense step walks the whole table: bound it by rows so no point runs past a few minutes.
      dense) steps=$(( n >= 10000000 ? 12 : n >= 1000000 ? 40 : 200 )); set_opt=(--set training.optimizer.sparse=false) ;;
      # At 10^7 rows, 3,000 steps: zeroing Adam's 5.1 GB of moments at the first step and the settlement
      # before validation (a pass over every row) take seconds, which 1,000 steps would not amortise.
      sparse) steps=$(( n >= 10000000 ? 3000 : 1000 )); set_opt=(--set training.optimizer.sparse=true) ;;
      lazy) steps=$(( n >= 10000000 ? 3000 : 1000 )); set_opt=(--set training.optimizer.sparse=true --set training.optimizer.lazy=true) ;;
      rowwise) steps=$(( n >= 10000000 ? 3000 : 1000 )); set_opt=(--set training.optimizer.type=rowwise-adagrad --set training.optimizer.sparse=true) ;;
    esac
    start=$(date +%s)
    line=$(/usr/bin/time -f "peak_rss_kb %M" ./embtrain benchmark "$here/scaling.yaml" "${common[@]}" "${set_opt[@]}" \
      --steps "$steps" 2>&1 | awk '$2 == "ratings" || $1 == "peak_rss_kb"' | tail -2 | tr '\n' ' ')
    echo "rows $n $mode factors $factors steps $steps: $line(wall $(( $(date +%s) - start )) s)"
  done
done
