#!/usr/bin/env bash
# Runs `embtrain spark JOB ...` the way spark-submit runs it (client mode), without a Spark distribution:
# Spark's own launcher class (org.apache.spark.deploy.SparkSubmit) with Spark, Hadoop, Parquet and logging on
# its class path, as $SPARK_HOME/jars has them, and embtrain's jar plus its lib/ jars as the application and
# --jars, so embtrain's classes load through Spark's class loader as they do on a cluster. Outside CI.
#
#   ./embtrain spark --help            # once: builds the jar and copies Spark into training/target/spark-lib
#   MASTER='local[2]' benchmarks/spark-submit/check.sh recommend --run runs/quickstart -k 10 --all --out recs.parquet
#
# ALL_JARS=1 passes every lib/ jar as --jars (the docs' line); by default only embtrain's, DJL's and PyTorch's.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target="$here/training/target"
[[ -f "$target/spark-lib/.complete" ]] || { echo "run ./embtrain spark --help first (copies Spark)" >&2; exit 2; }
opens=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
    java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
# The jar's Class-Path: the lib/ jars of this build (not stale files left in lib/ by older builds).
classpath="$(unzip -p "$target/embtrain.jar" META-INF/MANIFEST.MF | tr -d '\r' | sed ':a;N;$!ba;s/\n //g' \
  | grep '^Class-Path:' | cut -d' ' -f2- | tr ' ' '\n')"
app='embtrain|^lib/(api|basicdataset|pytorch)'
launcher="$(echo "$classpath" | grep -vE "$app" | sed "s|^|$target/|" | tr '\n' :)"
if [[ -n "${ALL_JARS:-}" ]]; then
  jars="$(echo "$classpath" | sed "s|^|$target/|" | paste -sd,)"
else
  jars="$(echo "$classpath" | grep -E "$app" | sed "s|^|$target/|" | paste -sd,)"
fi
SPARK_LOCAL_IP=127.0.0.1 exec java "${opens[@]}" -Djdk.reflect.useDirectMethodHandle=false -Dai.djl.offline=true \
  -cp "$target/spark-lib/*:$launcher" org.apache.spark.deploy.SparkSubmit --master "${MASTER:-local[2]}" \
  --conf spark.ui.enabled=false --class dev.embtrain.training.spark.SparkMain --jars "$jars" \
  "$target/embtrain.jar" "$@"
