#!/usr/bin/env bash
# Event-to-online-feature latency of `lakerank stream features` and the throughput of `stream ingest`
# (docs/benchmarks.md, "Streaming"): an in-process Kafka broker, Spark local[*], the project's feature
# repository, a load of impressions and clicks at each rate, and 50 probe users whose clicks are timed
# from their send to the first online read that counts them (dev.lakerank.benchmarks.StreamFeatureLatency).
#
#   benchmarks/stream-latency.sh [WORK_DIR]     default benchmarks/target/stream-latency
#
# Environment: STREAM_RATES (default 1000,5000), STREAM_DURATION (s, default 60), STREAM_WARMUP (s, default 30),
# STREAM_STORES (default "sqlite redis"; redis needs 127.0.0.1:6379), STREAM_INGEST (messages for the ingest
# run, default 200000), STREAM_SET (configuration keys to set, "key=value key=value", e.g.
# "stream.shuffle-partitions=1"). Results: WORK_DIR/results-<UTC time>.md. Nothing else should use the CPU.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mkdir -p "${1:-$root/benchmarks/target/stream-latency}" && cd "${1:-$root/benchmarks/target/stream-latency}" && pwd)"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# shellcheck source=spark-jvm-flags.sh
source "$root/benchmarks/spark-jvm-flags.sh"
results="$work/results-$(date -u +%Y%m%dT%H%M%SZ).md"
set_flags=()
for pair in ${STREAM_SET:-}; do
  set_flags+=(--set "$pair")
done

(cd "$root" && ./mvnw -q -B -DskipTests package -pl benchmarks -am)
classpath="$root/benchmarks/target/classes:$(cat "$root/benchmarks/target/classpath-runtime.txt")"

{
  echo "# Streaming, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$root" rev-parse --short HEAD)"
  [ -n "${STREAM_SET:-}" ] && echo "settings: $STREAM_SET"
  echo "machine: $(nproc) vCPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB"
} | tee "$results"

first=1
for store in ${STREAM_STORES:-sqlite redis}; do
  case "$store" in
    sqlite) online="repo" ;;
    redis) online="redis:127.0.0.1:6379" ;;
    *) echo "unknown store $store" >&2; exit 2 ;;
  esac
  ingest=0
  if [ "$first" = "1" ]; then
    ingest="${STREAM_INGEST:-200000}"
    first=0
  fi
  echo | tee -a "$results"
  (cd "$root" && "$java_bin" -Xmx4g "${spark_jvm_flags[@]}" -Dcom.google.protobuf.use_unsafe_pre22_gencode=true -cp "$classpath" \
    dev.lakerank.benchmarks.StreamFeatureLatency --work "$work/$store" --store "$online" --rates "${STREAM_RATES:-1000,5000}" \
    --duration "${STREAM_DURATION:-60}" --warmup "${STREAM_WARMUP:-30}" --ingest "$ingest" "${set_flags[@]}") 2>"$work/$store.log" | tee -a "$results"
done
echo "results: $results"
