#!/usr/bin/env bash
# fastai's dot-product-bias recipe on MovieLens 100k's five official folds: embtrain
# (train --cross-validate) and plain PyTorch (peer.py), one after the other, one thread each.
#   benchmarks/fastai-folds/run.sh DIR     # DIR: ml-100k, or any ml-100k-format directory with u1..u5
# Without DIR it generates an ml-100k-sized set (943 users, 1,682 items, 100,000 ratings) with
# embtrain's synthetic-movielens, which writes the folds as GroupLens's mku.sh does.
# Needs /usr/bin/python3 with torch (Debian: apt-get install python3-torch).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/benchmarks/fastai-folds"
out="${OUT:-/tmp/fastai-folds}"
mkdir -p "$out"
data="${1:-}"
if [ -z "$data" ]; then
  data="$out/synthetic-ml-100k"
  "$root/embtrain" config "$root/configs/quickstart.yaml" --set dataset.path="$data" --set dataset.users=943 \
      --set dataset.items=1682 --set dataset.ratings=100000 > /dev/null
fi
echo "== embtrain (train --cross-validate), EMBTRAIN_THREADS=1"
EMBTRAIN_THREADS=1 "$root/embtrain" train "$here/dot-bias-folds.yaml" --set dataset.path="$data" \
    --run-dir "$out/embtrain" --overwrite --cross-validate | tail -9
echo "== plain PyTorch (peer.py), 1 thread"
/usr/bin/python3 "$here/peer.py" "$data" --threads 1
