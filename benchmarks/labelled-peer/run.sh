#!/usr/bin/env bash
# Tribuo's logistic regression beside an embtrain labelled-embeddings run, on the same split:
#   benchmarks/labelled-peer/run.sh --run runs/labelled-embeddings
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar="$root/training/target/embtrain.jar"
if [[ ! -f "$jar" ]]; then
  (cd "$root" && mvn -B -q -DskipTests package)
fi
cd "$here"
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/tribuo.classpath >/dev/null
cp="$jar:$(cat target/tribuo.classpath)"
mkdir -p target/classes
javac -d target/classes -cp "$cp" src/main/java/dev/embtrain/benchmarks/LabelledPeer.java
cd "$root"
exec java -Dai.djl.offline=true -cp "$here/target/classes:$cp" dev.embtrain.benchmarks.LabelledPeer "$@"
