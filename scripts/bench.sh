#!/usr/bin/env bash
# Runs the side-by-side benchmark harness (quire-bench, io.quire.bench.Harness) and tees its
# output to target/bench-<date>.txt. Builds first when the bench jar is missing or older than
# the sources. Any argument is passed to the harness, e.g.:
#   scripts/bench.sh                 # full run (tens of minutes: W6/W7 build 10M entries)
#   scripts/bench.sh --short         # a few seconds per workload
#   scripts/bench.sh --only W1,W4    # some workloads
#   scripts/bench.sh --json-only     # JSON lines only
# Environment: JAVA (a JDK 25 java), BENCH_HEAP (default 8g), MVN_OFFLINE=1 to build with -o.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jar="$root/quire-bench/target/quire-bench-0.1.0-SNAPSHOT.jar"

find_java() {
  if [[ -n "${JAVA:-}" ]]; then echo "$JAVA"; return; fi
  local c
  for c in "${JAVA_HOME:-}/bin/java" /usr/lib/jvm/*25*/bin/java /usr/lib/jvm/*/bin/java "$(command -v java || true)"; do
    [[ -x "$c" ]] || continue
    if "$c" -version 2>&1 | head -1 | grep -Eq '"(2[5-9]|[3-9][0-9])'; then echo "$c"; return; fi
  done
  echo "bench.sh: no JDK 25+ found; set JAVA=/path/to/java" >&2
  exit 2
}

if [[ ! -f "$jar" || ! -d "$root/quire-bench/target/lib" ]] \
   || [[ -n "$(find "$root"/quire-*/src "$root"/quire-*/pom.xml "$root/pom.xml" -newer "$jar" \( -name '*.java' -o -name '*.proto' -o -name pom.xml \) -print -quit)" ]]; then
  echo "bench.sh: building" >&2
  # A reactor package (not install): the bench jar and target/lib come from this tree's modules,
  # and ~/.m2 is left alone.
  ./mvnw -q -B ${MVN_OFFLINE:+-o} package -DskipTests -pl quire-bench -am
fi

java=$(find_java)
mkdir -p "$root/target"
out="$root/target/bench-$(date +%Y%m%d-%H%M%S).txt"
{
  echo "# $(date -Is) $(git rev-parse --short HEAD 2>/dev/null || echo '?') on $(uname -srm)"
  echo "# $("$java" -version 2>&1 | head -1)"
} | tee "$out"
set +e
"$java" -Xmx"${BENCH_HEAP:-8g}" -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED \
  -cp "$jar:$root/quire-bench/target/lib/*" io.quire.bench.Harness "$@" 2>&1 | tee -a "$out"
rc=${PIPESTATUS[0]}
echo "bench.sh: output in $out" >&2
exit "$rc"
