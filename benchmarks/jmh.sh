#!/usr/bin/env bash
# Runs the JMH kernel benchmarks. Arguments go to JMH (e.g. `benchmarks/jmh.sh DotKernelBenchmark -p items=1000`).
# Results: benchmarks/target/jmh-result.json (and the console table).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/bin/lib/jdk.sh"
find_jdk
cd "$ROOT"
mvn -B -q -ntp install -pl benchmarks -am -DskipTests
mvn -B -q -ntp dependency:build-classpath -pl benchmarks -Dmdep.outputFile="$ROOT/benchmarks/target/classpath.txt"
CP="$ROOT/benchmarks/target/classes:$(cat "$ROOT/benchmarks/target/classpath.txt")"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" org.openjdk.jmh.Main \
  -rf json -rff "$ROOT/benchmarks/target/jmh-result.json" "$@"
