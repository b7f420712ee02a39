# Sourced by the scripts in bin/: finds a JDK 21+ and the unprivileged user OpenSearch needs when run as root.

# java_major JAVA_BIN -> prints the feature version (17, 21, 25, ...) or nothing
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

# jdk_home: prints the first JDK >= 21 found in JAVA_HOME or /usr/lib/jvm, or nothing (exit 1).
jdk_home() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# jdk_available: true when a JDK >= 21 can be found.
jdk_available() {
  jdk_home >/dev/null
}

# find_jdk: exports JAVA_HOME pointing at a JDK >= 21 or exits with a message saying what is missing.
find_jdk() {
  local home
  if home=$(jdk_home); then
    export JAVA_HOME="$home"
    export PATH="$JAVA_HOME/bin:$PATH"
    return 0
  fi
  echo "error: a JDK 21 or newer is required (OpenSearch 3.6 needs it); none found in JAVA_HOME or /usr/lib/jvm." >&2
  echo "       Install one (e.g. Temurin 21 or 25) and set JAVA_HOME to it." >&2
  exit 1
}

# ensure_unprivileged_user NAME: creates NAME (no login password) if it does not exist; root only.
ensure_unprivileged_user() {
  if ! id -u "$1" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/bash "$1"
  fi
}
