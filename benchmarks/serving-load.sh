#!/usr/bin/env bash
# The serving API under load (docs/benchmarks.md, "Serving API under load"): a Java load generator
# (dev.lakerank.benchmarks.ServingLoad) on loopback, 100 connections, GET /v1/recommendations/{user}?k=10
# re-ranking 200 ALS candidates with a 100-tree GBT and online features; once with Redis, once with
# SQLite; then the same call with Spark's own transform in the request path (SparkInPathServer).
#
#   benchmarks/serving-load.sh [WORK_DIR]     default benchmarks/target/serving-load
#
# The first run builds the demo's data and models in WORK_DIR (bin/lakerank demo --no-serve), trains a
# 100-tree GBT ranker and promotes it, and materializes the features into Redis (127.0.0.1:6379).
# Environment: LOAD_RATES (default 500,1000,2000,max), LOAD_DURATION (s, default 30), LOAD_WARMUP (s,
# default 10), LOAD_CONNECTIONS (default 100), LOAD_STORES (default "redis sqlite"), LOAD_BASELINE=0 to
# skip the Spark baseline, LOAD_SERVING_OPTS for more -D settings of the API (for example
# -Dlakerank.features.stream-cache-ttl=0s). Results: WORK_DIR/results-<UTC time>.md. Nothing else should use the CPU.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mkdir -p "${1:-$root/benchmarks/target/serving-load}" && cd "${1:-$root/benchmarks/target/serving-load}" && pwd)"
rates="${LOAD_RATES:-500,1000,2000,max}"
duration="${LOAD_DURATION:-30}"
warmup="${LOAD_WARMUP:-10}"
connections="${LOAD_CONNECTIONS:-100}"
stores="${LOAD_STORES:-redis sqlite}"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# shellcheck source=spark-jvm-flags.sh
source "$root/benchmarks/spark-jvm-flags.sh"
lakerank="$root/bin/lakerank"
port=18080
results="$work/results-$(date -u +%Y%m%dT%H%M%SZ).md"

(cd "$root" && ./mvnw -q -B -DskipTests package -pl benchmarks,serving-api,assembly -am)
classpath="$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath-runtime.txt")"
export LAKERANK_SKIP_BUILD=1

cd "$work"
if [ ! -d registry/ranker ]; then
  "$lakerank" demo --no-serve
fi
if [ ! -f .gbt100 ]; then
  "$lakerank" train ranker --algorithm gbt --param maxIter=100 --param maxDepth=5 --no-tune --promote always
  touch .gbt100
fi
if [[ " $stores " == *" redis "* ]]; then
  "$lakerank" features materialize --set features.online-store=redis:127.0.0.1:6379 --start 2000-01-01T00:00:00Z --end latest
fi

wait_ready() {
  for _ in $(seq 1 1200); do
    curl -sf "http://127.0.0.1:$1/health/readiness" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "serving-load.sh: nothing ready on port $1" >&2
  return 1
}

load() {
  "$java_bin" -Xmx1g -cp "$classpath" dev.lakerank.benchmarks.ServingLoad --url "http://127.0.0.1:$1" \
    --connections "$connections" --rates "$2" --duration "$duration" --warmup "$warmup" --users 2000 --k 10
}

{
  echo "# Serving load, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$root" rev-parse --short HEAD)"
  [ -z "${LOAD_SERVING_OPTS:-}" ] || echo "serving API settings: $LOAD_SERVING_OPTS"
  echo "machine: $(nproc) vCPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB"
} | tee "$results"

for store in $stores; do
  case "$store" in
    redis) online="redis:127.0.0.1:6379" ;;
    sqlite) online="repo" ;;
    *) echo "unknown store $store" >&2; exit 2 ;;
  esac
  LAKERANK_SERVING_JAVA_OPTS="-Dlakerank.prediction-log.enabled=${LOAD_LOG:-true} ${LOAD_SERVING_OPTS:-}" \
    "$lakerank" serve --port "$port" --registry "$work/registry" --online-store "$online" --as-of materialized \
    --database "jdbc:h2:file:$work/serving-db/lakerank;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE" > "$work/serve-$store.log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  wait_ready "$port"
  models="$(curl -s "http://127.0.0.1:$port/v1/models" | grep -o '"name":"[a-z]*","role":"[a-z]*","version":[0-9]*' | tr '\n' ' ')"
  { echo; echo "## serving API, $store online store ($models)"; } | tee -a "$results"
  load "$port" "$rates" | tee -a "$results"
  kill "$server"; wait "$server" 2>/dev/null || true
  trap - EXIT
done

if [ "${LOAD_BASELINE:-1}" = "1" ]; then
  "$java_bin" -Xmx4g "${spark_jvm_flags[@]}" -Dcom.google.protobuf.use_unsafe_pre22_gencode=true \
    -cp "$classpath" dev.lakerank.benchmarks.SparkInPathServer --lakehouse "$work/lakehouse" --registry "$work/registry" \
    --feature-repo "$root/feature-repo" --port 18090 > "$work/serve-spark.log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null || true' EXIT
  wait_ready 18090
  { echo; echo "## baseline: Spark's transform in the request path (SQLite features, $(grep -o 'fitted.*' "$work/serve-spark.log"))"; } | tee -a "$results"
  load 18090 max | tee -a "$results"
  kill "$server"; wait "$server" 2>/dev/null || true
  trap - EXIT
fi
echo "results: $results"
