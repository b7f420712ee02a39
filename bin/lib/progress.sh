# Sourced by scripts with steps that run longer than a few seconds: run_quietly runs a command with its output in a
# log file and prints a line every 10 s while it runs (the Maven module being built, or what a download holds so far),
# then how long it took; on failure it shows the log's last lines.

# run_quietly LABEL LOG CMD...: runs CMD, its output in LOG, reporting progress as LABEL. With WATCH set to a
# folder, each line also says how much that folder holds (a download's destination).
run_quietly() {
  local label=$1 log=$2 start=$SECONDS last=0 now detail
  shift 2
  mkdir -p "$(dirname "$log")"
  "$@" >"$log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    now=$((SECONDS - start))
    if [ $((now - last)) -ge 10 ]; then
      last=$now
      # Maven names each module as it starts it; a download shows its bytes so far
      detail=$(grep -o 'Building [A-Za-z].*[0-9]' "$log" 2>/dev/null | tail -n 1 | sed 's/ *\[.*//' || true)
      if [ -n "${WATCH:-}" ] && [ -d "$WATCH" ]; then
        detail="$(du -sh "$WATCH" 2>/dev/null | cut -f1) in $WATCH"
      fi
      printf '    ... %s, %ds%s\n' "$label" "$now" "${detail:+ ($detail)}"
    fi
  done
  if ! wait "$pid"; then
    echo "error: $label failed after $((SECONDS - start))s; the last lines of $log:" >&2
    tail -n 30 "$log" >&2
    return 1
  fi
  printf '    %s: done in %ds (log: %s)\n' "$label" $((SECONDS - start)) "$log"
}
