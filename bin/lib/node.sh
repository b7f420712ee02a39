# Sourced by the scripts that run a real OpenSearch node (quickstart, the endpoint benchmark): fetch the
# $OS_VERSION distribution (3.8.0, the build's default, unless the caller set another supported release) from Maven Central, install the plugin zip, start the node on 127.0.0.1 (as an unprivileged user when
# run as root: OpenSearch refuses root), wait for it, stop it. Call find_jdk (jdk.sh) first.
source "$(dirname "${BASH_SOURCE[0]}")/progress.sh"

OS_VERSION=${OS_VERSION:-3.8.0}

# node_zip ROOT: the plugin zip built for $OS_VERSION
node_zip() {
  ls "$1"/plugin/target/opensearch-recommender-*-os"$OS_VERSION".zip | head -n 1
}

# node_fetch WORK ROOT: unpacks the distribution into WORK/opensearch-$OS_VERSION unless it is already there.
node_fetch() {
  local work=$1 root=$2 home="$1/opensearch-$OS_VERSION"
  mkdir -p "$work"
  if [ ! -x "$home/bin/opensearch" ]; then
    # ~160 MB on a cold machine: say how far it got every 10 s
    WATCH="$HOME/.m2/repository/org/opensearch/distribution/integ-test-zip/opensearch/$OS_VERSION" \
      run_quietly "fetching OpenSearch $OS_VERSION" "$work/logs/fetch.log" \
      bash -c 'cd "$1" && mvn -B -ntp dependency:copy -Dartifact="$2" -DoutputDirectory="$3"' _ \
      "$root" "org.opensearch.distribution.integ-test-zip:opensearch:$OS_VERSION:zip" "$work"
    rm -rf "$home"
    (cd "$work" && "$JAVA_HOME/bin/jar" xf "opensearch-$OS_VERSION.zip" && chmod +x "$home"/bin/*)
  fi
}

# node_install WORK ZIP: (re)installs the plugin zip into the node under WORK.
node_install() {
  local home="$1/opensearch-$OS_VERSION"
  export OPENSEARCH_JAVA_HOME="$JAVA_HOME"
  if [ -d "$home/plugins/opensearch-recommender" ]; then
    "$home/bin/opensearch-plugin" remove opensearch-recommender >/dev/null 2>&1
  fi
  "$home/bin/opensearch-plugin" install --batch "file://$2" 2>&1 | grep -v "no-jdk distributions" || true
  # the pipe hides the installer's status: a plugin that is not there afterwards is the failure to report
  if [ ! -d "$home/plugins/opensearch-recommender" ]; then
    echo "error: installing $2 failed (see above)" >&2
    return 1
  fi
}

# node_start WORK PORT HEAP CLUSTER: starts the node as a daemon (data and logs under WORK), waits until it answers.
node_start() {
  local work=$1 port=$2 heap=$3 cluster=$4 home="$1/opensearch-$OS_VERSION" url="http://127.0.0.1:$2"
  local as_node_user=()
  if [ "$(id -u)" = 0 ]; then
    ensure_unprivileged_user recommender
    chown -R recommender: "$work"
    as_node_user=(runuser -u recommender --)
    echo "   (running as root: the node runs as user 'recommender')"
  fi
  rm -f "$work/node.pid"
  "${as_node_user[@]}" env OPENSEARCH_JAVA_HOME="$JAVA_HOME" OPENSEARCH_JAVA_OPTS="-Xms$heap -Xmx$heap" \
    "$home/bin/opensearch" -d -p "$work/node.pid" -E network.host=127.0.0.1 -E discovery.type=single-node \
    -E http.port="$port" -E cluster.name="$cluster" -E path.data="$work/data" -E path.logs="$work/logs" \
    >"$work/node.out" 2>&1 # the daemon must not hold the caller's stdout open
  local i
  for i in $(seq 1 120); do
    curl -fsS "$url/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1 && break
    [ "$i" = 120 ] && { echo "error: the node did not start; see $work/logs" >&2; return 1; }
    sleep 1
  done
  echo "   node up: $(curl -fsS "$url" | sed -n 's/.*"number" : "\(.*\)".*/OpenSearch \1/p') at $url"
}

# node_stop WORK: stops the node started under WORK, if any, and waits for it to exit.
node_stop() {
  local pid
  pid=$(cat "$1/node.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  echo "   node stopped"
}
