#!/usr/bin/env bash
# The read path, measured: builds benchmarks.jar for one Spring Boot line, runs exactly the
# L1-hit and L2-hit rows of ReadLatency with -prof gc, and prints every L1 row's ratio to
# Spring's @Cacheable with its default key and every L2 row's ratio to the raw Lettuce GET +
# JSON decode, in time and allocation, with error bars.
#
# Usage (from anywhere; needs JDK 17+ and redis-server on the PATH):
#   benchmarks/run-read-path.sh [--boot3] [--no-build] [JMH options...]
# --boot3     measure the Spring Boot 3.5 line (default: the Boot 4 line)
# --no-build  use the benchmarks.jar already built
# JMH options replace the defaults below, e.g. -f 3 -wi 5 -w 2s -i 5 -r 2s for a full run.
# The JMH JSON result is kept in benchmarks/target/read-path-<line>.json.
set -euo pipefail

cd "$(dirname "$0")/.."
line=boot4
profile=()
build=true
jmh_options=()
for arg in "$@"; do
  case "$arg" in
    --boot3) line=boot3; profile=(-Pboot3) ;;
    --no-build) build=false ;;
    *) jmh_options+=("$arg") ;;
  esac
done
if [ ${#jmh_options[@]} -eq 0 ]; then
  # Short runs: 1 fork, 5 x 1 s warm-up (3 left Spring's rows still compiling), 5 x 1 s
  # measurement; about 3 minutes.
  jmh_options=(-f 1 -wi 5 -w 1s -i 5 -r 1s)
fi

if $build; then
  ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests "${profile[@]}"
fi

jar=benchmarks/target/benchmarks.jar
result=benchmarks/target/read-path-$line.json
java -jar "$jar" 'ReadLatency\.(l1_|l2_)' -prof gc "${jmh_options[@]}" -rf json -rff "$result"
echo
echo "== Read path, $line ($(java -version 2>&1 | head -1)); load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)"
java -cp "$jar" io.github.optimization.benchmarks.ReadPathReport "$result"
