#!/usr/bin/env bash
# embtrain's item2vec vs Spark MLlib Word2Vec, same sessions, same evaluation, one JVM.
#   benchmarks/item2vec-peer/run.sh [CONFIG] [--threads N] [--partitions P] [--set path=value]...
# CONFIG defaults to configs/online-retail-item2vec.yaml; paths in it are relative to the repo root.
# Installs embtrain's modules into the local Maven repository first (the peer depends on them),
# downloads Spark on first use (a few hundred MB from Maven Central), then runs from the repo root.
# PEER_SKIP_INSTALL=1 skips both Maven steps (when nothing changed since the last run).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
config="${1:-configs/online-retail-item2vec.yaml}"
[[ $# -gt 0 ]] && shift
[[ -n "${PEER_SKIP_INSTALL:-}" ]] || (cd "$root" && mvn -B -q install -DskipTests)
[[ -n "${PEER_SKIP_INSTALL:-}" ]] || (cd "$here" && mvn -B -q package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
threads=2
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [[ "${args[$i]}" == "--threads" ]] && threads="${args[$((i + 1))]}"
done
# Spark 3.5 on Java 17 needs these packages opened (the list Spark's own launcher passes).
opens=(-XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false)
cd "$root"
export SPARK_LOCAL_IP=127.0.0.1 # Spark binds and resolves on loopback only
exec java -Xmx6g "${opens[@]}" --add-modules jdk.incubator.vector -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$threads" \
  -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" dev.embtrain.benchmarks.Item2VecPeer "$config" "$@"
