#!/usr/bin/env bash
# Builds the benchmarks module and runs its JMH benchmarks: the exported pure-Java scorers against
# Spark's one-row transform, and online feature reads from Redis and SQLite (see docs/benchmarks.md,
# "Scorer latency (JMH)" and "Online feature reads").
#
#   benchmarks/run.sh                      # everything, about 11 minutes on 2 cores
#   benchmarks/run.sh 'AlsTopK'            # JMH arguments pass through: a regex, -p algorithm=GBT, ...
#   benchmarks/run.sh OnlineFeatureRead -p store=sqlite
#
# The rankers are fitted first (about 5 minutes) only when a selected benchmark scores with them.
# OnlineFeatureReadBenchmark reads the definitions in feature-repo/ and, for store=redis, needs a Redis
# server at 127.0.0.1:6379 (-Dlakerank.benchmarks.redis=host:port in JAVA_TOOL_OPTIONS to change it).
# Results go to benchmarks/results/jmh-<UTC time>.{json,txt}. Nothing else should use the CPU while
# it runs. Environment: LAKERANK_SKIP_BUILD=1 (use the compiled module as it is), JAVA_HOME,
# MAVEN_ARGS (read by Maven itself, e.g. -o).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="$root/benchmarks"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# shellcheck source=spark-jvm-flags.sh
source "$root/benchmarks/spark-jvm-flags.sh"

if [ "${LAKERANK_SKIP_BUILD:-0}" != "1" ]; then
  (cd "$root" && ./mvnw -q -B -DskipTests package -pl benchmarks -am)
fi
if [ ! -f "$module/target/classpath-runtime.txt" ] || [ ! -f "$module/target/classes/META-INF/BenchmarkList" ]; then
  echo "run.sh: the benchmarks module is not built; run without LAKERANK_SKIP_BUILD=1" >&2
  exit 1
fi

cd "$module"
classpath="$module/target/classes:$(cat "$module/target/classpath-runtime.txt")"
models="$module/target/benchmark-models"
results="$module/results"
mkdir -p "$results"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"

# Fit the rankers once, untimed, so no benchmark fork pays for training (same JVM flags as the forks),
# when the arguments select a benchmark that scores with them (JMH's -l lists the selection).
selected="$("$java_bin" -cp "$classpath" org.openjdk.jmh.Main -l "$@")"
if grep -qE 'RankerScorerBenchmark|SparkTransformBenchmark' <<<"$selected"; then
  rm -rf "$models"
  "$java_bin" -Xmx4g "${spark_jvm_flags[@]}" \
    -cp "$classpath" dev.lakerank.benchmarks.RankerModels "$models"
fi

# The forks inherit this JVM's options and add the ones in LatencyBenchmark's @Fork.
"$java_bin" -Xmx1g "-Dlakerank.benchmarks.models=$models" "-Dlakerank.benchmarks.featureRepo=$root/feature-repo" \
  -cp "$classpath" org.openjdk.jmh.Main \
  -rf json -rff "$results/jmh-$stamp.json" "$@" | tee "$results/jmh-$stamp.txt"

# A compact table: mean, median and p99 per benchmark, microseconds.
if command -v jq >/dev/null; then
  echo
  echo "Summary (us/op; results/jmh-$stamp.json):"
  jq -r '["benchmark", "params", "mean", "p50", "p99", "samples"],
      (.[] | [(.benchmark | split(".") | .[-2:] | join(".")),
              (.params // {} | to_entries | map("\(.key)=\(.value)") | join(",") | if . == "" then "-" else . end),
              (.primaryMetric.score * 1000 | round / 1000),
              (.primaryMetric.scorePercentiles["50.0"] * 1000 | round / 1000),
              (.primaryMetric.scorePercentiles["99.0"] * 1000 | round / 1000),
              ([.primaryMetric.rawDataHistogram[][][] | .[1]] | add)])
      | @tsv' "$results/jmh-$stamp.json" | column -t -s $'\t'
fi
