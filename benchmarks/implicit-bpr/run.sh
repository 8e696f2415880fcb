#!/usr/bin/env bash
# Implicit feedback on MovieLens 100k (leave-last-out, every rating an interaction): embtrain's
# configs/movielens-bpr.yaml (dot-product BPR), deep-collaborative with NCF's cross-entropy and
# 4 drawn items, and a plain-PyTorch BPR of the same dot product (bpr.py), one after the other,
# one thread each; bpr.py then scores all of them, popularity and (on generated data) the true
# model on the same split and the same 99 drawn items per user.
#   benchmarks/implicit-bpr/run.sh DIR     # DIR: ml-100k, or any ml-100k-format directory
# Without DIR it generates an ml-100k-sized set (943 users, 1,682 items, 100,000 ratings) whose
# users rate what they like (synthetic-movielens exposure: 2, 8 true factors).
# Needs /usr/bin/python3 with torch (Debian: apt-get install python3-torch).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/benchmarks/implicit-bpr"
out="${OUT:-/tmp/implicit-bpr}"
mkdir -p "$out"
data="${1:-}"
if [ -z "$data" ]; then
  data="$out/synthetic-ml-100k-exposure"
  "$root/embtrain" config "$root/configs/quickstart.yaml" --set dataset.path="$data" --set dataset.users=943 \
      --set dataset.items=1682 --set dataset.ratings=100000 --set dataset.factors=8 --set dataset.exposure=2 \
      > /dev/null
fi
echo "== embtrain dot-product-bias, BPR (configs/movielens-bpr.yaml), EMBTRAIN_THREADS=1"
EMBTRAIN_THREADS=1 "$root/embtrain" train "$root/configs/movielens-bpr.yaml" --set dataset.path="$data" \
    --run-dir "$out/bpr" --overwrite | grep -v '^memory'
echo "== embtrain deep-collaborative, cross-entropy with 4 drawn items (NCF), EMBTRAIN_THREADS=1"
EMBTRAIN_THREADS=1 "$root/embtrain" train "$root/configs/movielens-bpr.yaml" --set dataset.path="$data" \
    --set 'dataset.label={type: implicit, loss: bce, negatives: 4}' \
    --set 'model={type: deep-collaborative, layers: [64, 32], user_embedding_size: 32, item_embedding_size: 32}' \
    --set 'export.embeddings=[]' --run-dir "$out/bce" --overwrite | grep -v '^memory'
echo "== embtrain recommend --evaluate, NCF protocol (embtrain's own 99 drawn items)"
for run in bpr bce; do
  EMBTRAIN_THREADS=1 "$root/embtrain" recommend --run "$out/$run" --evaluate --protocol sampled | tail -2
done
echo "== plain PyTorch BPR (bpr.py), 1 thread; every model scored on one set of drawn items"
/usr/bin/python3 "$here/bpr.py" "$data" --run "embtrain BPR=$out/bpr" --epochs 20 --batch 256
