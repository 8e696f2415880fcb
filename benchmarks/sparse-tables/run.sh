#!/usr/bin/env bash
# Row-sparse tables against plain PyTorch, one after the other on the same generated data, one
# thread each; prints both epochs and their ratio. Needs /usr/bin/python3 with torch
# (apt-get install python3-torch). Outside CI.
#   benchmarks/sparse-tables/run.sh large   # 200k users x 40k items, 1.6M ratings, 64 factors, batch 1,024:
#                                           # embtrain sparse: true, skipped steps caught up and lazy (SparseAdam's
#                                           # own rule), against nn.Embedding(sparse=True) + SparseAdam
#   benchmarks/sparse-tables/run.sh small   # ml-100k-sized, fastai's recipe (batch 64, 50 factors, 3 epochs):
#                                           # embtrain dense and sparse against dense embeddings + AdamW
#   benchmarks/sparse-tables/run.sh collab  # ml-100k-sized, the CollabNN recipe (movielens-deep-collaborative.yaml,
#                                           # batch 64, 3 epochs): embtrain dense and sparse against peer.py --model collab
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
# The malloc settings ./embtrain starts the JVM with, for the peer too: without them glibc hands
# each step's large freed blocks back to the kernel, and both sides page-fault them in again.
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-268435456}"
case "${1:-large}" in
  large)
    data=data/synthetic-movielens-200k
    config=("$here/large.yaml")
    sets=()
    peer=(--factors 64 --batch 1024 --epochs 1 --lr 1e-2 --sparse)
    ;;
  small)
    data=data/ml100k-gen
    config=(configs/movielens-dot-bias.yaml)
    sets=(--set "dataset.path=$data" --set training.epochs=3)
    peer=(--factors 50 --batch 64 --epochs 3 --lr 5e-3)
    if [[ ! -f "$data/u.data" ]]; then
      ./embtrain train configs/quickstart.yaml --run-dir /tmp/embtrain-gen --overwrite --set "dataset.path=$data" \
        --set dataset.users=943 --set dataset.items=1682 --set training.epochs=1 > /dev/null
    fi
    ;;
  collab)
    data=data/ml100k-gen
    config=(configs/movielens-deep-collaborative.yaml)
    sets=(--set "dataset.path=$data" --set dataset.item_key=id --set training.epochs=3)
    peer=(--model collab --batch 64 --epochs 3 --lr 5e-3 --wd 0.01)
    if [[ ! -f "$data/u.data" ]]; then
      ./embtrain train configs/quickstart.yaml --run-dir /tmp/embtrain-gen --overwrite --set "dataset.path=$data" \
        --set dataset.users=943 --set dataset.items=1682 --set training.epochs=1 > /dev/null
    fi
    ;;
  *) echo "usage: $0 large|small|collab" >&2; exit 2 ;;
esac
if [[ ! -f "$data/u.data" ]]; then
  # The first run writes the generated data; it is not timed.
  ./embtrain benchmark "${config[@]}" "${sets[@]}" --steps 1 > /dev/null
fi
epoch_of() { awk '$2 == "ratings" { print ($4 > 1 ? $6 : $5) }' | tail -1; }
ours=$(./embtrain benchmark "${config[@]}" "${sets[@]}" | tee /dev/stderr | epoch_of)
if [[ "${1:-large}" == large ]]; then
  ours_lazy=$(./embtrain benchmark "${config[@]}" "${sets[@]}" --set training.optimizer.lazy=true \
    | tee /dev/stderr | epoch_of)
else
  ours_sparse=$(./embtrain benchmark "${config[@]}" "${sets[@]}" --set training.optimizer.sparse=true \
    | tee /dev/stderr | epoch_of)
fi
theirs=$(/usr/bin/python3 "$here/peer.py" "$data" "${peer[@]}" | tee /dev/stderr \
  | awk '/^peer epoch/ { n++; s[n] = $4 } END { if (n == 1) print s[1]; else { t = 0; for (i = 2; i <= n; i++) t += s[i]; print t / (n - 1) } }')
echo "embtrain ${ours} s an epoch, PyTorch ${theirs} s: ratio $(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.2f", a / b }')"
if [[ -n "${ours_lazy:-}" ]]; then
  echo "embtrain lazy: true ${ours_lazy} s an epoch: ratio $(awk -v a="$ours_lazy" -v b="$theirs" 'BEGIN { printf "%.2f", a / b }')"
fi
if [[ -n "${ours_sparse:-}" ]]; then
  echo "embtrain sparse: true ${ours_sparse} s an epoch: ratio $(awk -v a="$ours_sparse" -v b="$theirs" 'BEGIN { printf "%.2f", a / b }')"
fi
