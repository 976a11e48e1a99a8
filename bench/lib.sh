# What the load benchmarks share: their arguments, the database of each backend (seeded
# by `seed --scale`, or kept under KEEP_DB and reused), the release server, the centre
# measured and its staff, wrk with a p95 and the server's and PostgreSQL's CPU a request, and the
# section appended to bench/results.md. Sourced by bench/casework-load, bench/activities-load,
# bench/das-load and bench/hub-search from the repository's root, after `keep` and
# FAMILYLINK_BIN are resolved.
#   <script> [scale] [sqlite|postgres|both] [seconds]
source scripts/setup.sh
scale=${1:-10}
backends=${2:-both}
seconds=${3:-20}
[ "$backends" = both ] && backends="sqlite postgres"
for backend in $backends; do
  case "$backend" in sqlite | postgres) ;; *) echo "backend: sqlite, postgres or both" >&2; exit 2 ;; esac
done
command -v wrk >/dev/null || apt_ensure wrk
command -v sqlite3 >/dev/null || apt_ensure sqlite3
command -v psql >/dev/null || apt_ensure postgresql-client
bin=${FAMILYLINK_BIN:-target/release/familylink}
if [ ! -x "$bin" ]; then
  [ -n "${FAMILYLINK_BIN:-}" ] && { echo "FAMILYLINK_BIN: no binary at $bin" >&2; exit 2; }
  cargo build --release -p api
fi

work=$(mktemp -d)
pg_admin="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
label=s${scale//./_}
server=
temp_databases=()
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  for database in "${temp_databases[@]}"; do
    psql "$pg_admin" -qtAc "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1
  done
  rm -rf "$work"
}
trap cleanup EXIT

# Where each backend's database, data and keys live: kept under KEEP_DB, or for this run only.
if [ -n "$keep" ]; then
  mkdir -p "$keep"
  home=$keep
else
  home=$work
fi
export FAMILYLINK_DATA_DIR="$home/data" FAMILYLINK_KEY_DIR="$home/keys" RUST_LOG=warn


ms() { awk -v v="$1" 'BEGIN { printf "%.1f ms", v }'; }
thousands() { python3 -c 'import sys; print(f"{float(sys.argv[1]):,.0f}")' "$1"; }
joined() { local IFS=,; local all="$*"; echo "${all//,/, }"; }

# A token for `username` on the running server.
login() {
  curl -fsS -X POST "$base/api/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"familylink-demo\"}" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

# One request as the load will make it; anything but 200 stops the run. Prints the total
# found (a page's total, a list's length, a roll call's lines).
check() {
  local token=$1 method=$2 path=$3 body=${4:-} status
  local args=(-sS -o "$work/check.json" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $token")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
  status=$(curl "${args[@]}" "$base$path")
  if [ "$status" != 200 ]; then
    echo "$method $path $body: HTTP $status" >&2
    cat "$work/check.json" >&2
    echo >&2
    exit 1
  fi
  python3 -c '
import json, sys
answer = json.load(open(sys.argv[1]))
if isinstance(answer, list):
    print(len(answer))
elif "sessions" in answer:
    print(len(answer["sessions"]))
elif "cases" in answer:
    print(answer["cases"])
elif "pairs" in answer:
    print(answer["pairs"])
else:
    print(answer.get("total", len(answer.get("lines", [None]))))' "$work/check.json"
}

# wrk's --latency gives 50/75/90/99 %: the script's done() reports p95 too, on one line.
DONE='
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.3f %.3f %.3f %d %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.status, e.connect + e.read + e.write + e.timeout, summary.requests))
end'

# A POST of a JSON body per term, the terms taken in turn.
post_lua() {
  local token=$1 path=$2 template=$3 term
  shift 3
  echo 'wrk.method = "POST"'
  echo "wrk.headers[\"Authorization\"] = \"Bearer $token\""
  echo 'wrk.headers["Content-Type"] = "application/json"'
  printf 'local terms = {'
  for term in "$@"; do printf '"%s", ' "$term"; done
  echo '}'
  cat <<LUA
local bodies = {}
for n, term in ipairs(terms) do bodies[n] = string.format([[$template]], term) end
local i = 0
request = function()
  i = i + 1
  return wrk.format(nil, "$path", nil, bodies[i % #bodies + 1])
end
LUA
  echo "$DONE"
}

# GETs of the paths given, taken in turn (none: the path wrk is given).
get_lua() {
  local token=$1 path
  shift
  echo "wrk.headers[\"Authorization\"] = \"Bearer $token\""
  if [ $# -gt 0 ]; then
    printf 'local paths = {'
    for path in "$@"; do printf '"%s", ' "$path"; done
    echo '}'
    cat <<'LUA'
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[i % #paths + 1])
end
LUA
  fi
  echo "$DONE"
}

# The server's CPU time so far (user and system, in clock ticks): per request, it varies
# far less from run to run than requests/s on a machine that wrk shares.
# Fields counted after the command name, which may hold spaces: utime and stime.
server_ticks() { sed 's/.*) //' "/proc/$server/stat" | awk '{ print $12 + $13 }'; }
# PostgreSQL's CPU time so far, all its processes together (SQLite's is the server's own).
database_ticks() {
  local pid
  for pid in $(pgrep -x postgres); do cat "/proc/$pid/stat" 2>/dev/null || true; done |
    sed 's/.*) //' | awk '{ ticks += $12 + $13 } END { print ticks + 0 }'
}
# CPU ticks spread over n requests, in ms.
per_request() { awk -v ticks="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f ms", ticks * 1000 / hz / n }'; }

# Runs wrk on `script` (at `connections`, 64 unless the script sets fewer) and adds a row
# of the table.
# Each script defines `missed name rps p95 status errors`, which prints the targets the
# line missed, one a line.
measure() {
  local name=$1 script=$2 path=$3 out=$work/wrk.txt
  local c=${connections:-64}
  say "$name ($backend_name), $c connections, $seconds s"
  local before after db_before db_after
  before=$(server_ticks) db_before=$(database_ticks)
  wrk -t2 -c"$c" -d"${seconds}s" --latency -s "$script" "$base$path" >"$out" 2>&1 || { cat "$out" >&2; exit 1; }
  after=$(server_ticks) db_after=$(database_ticks)
  grep -E 'requests in|Requests/sec|50%|90%|99%|Non-2xx|Socket errors' "$out" || true
  local rps p50 p95 p99 status errors total cpu db_cpu=—
  read -r rps p50 p95 p99 status errors total < <(awk '$1 == "RESULT" { $1 = ""; print }' "$out")
  cpu=$(per_request $((after - before)) "$total")
  [ "$backend" = postgres ] && db_cpu=$(per_request $((db_after - db_before)) "$total")
  echo "p95 $(ms "$p95"), $total requests, CPU a request: server $cpu, database $db_cpu"
  echo "| $name | $backend_name | $(thousands "$rps") | $(ms "$p50") | $(ms "$p95") | $(ms "$p99") | $cpu | $db_cpu | $status | $errors |" \
    >>"$work/table.md"
  missed "$name" "$rps" "$p95" "$status" "$errors" >>"$work/misses.txt"
}


# The database of `backend` in DATABASE_URL, seeded at the scale asked unless kept from
# before; `query` and `sql` run SQL on it.
open_backend() {
  backend=$1
  seeded_mark="$home/$backend-$label.seeded"
  case "$backend" in
    sqlite)
      backend_name=SQLite
      url="$home/seed-$label.db"
      query() { sqlite3 -separator '|' "$url" "$1"; }
      sql() { sqlite3 "$url" "$1" >/dev/null; }
      if [ -f "$seeded_mark" ] && [ -f "$url" ]; then
        reuse=yes
      else
        reuse=
        rm -f "$seeded_mark" "$url" "$url-wal" "$url-shm"
      fi
      ;;
    postgres)
      backend_name=PostgreSQL
      # KEEP_PG_DATABASE names another kept database (a copy made from the kept one).
      if [ -n "$keep" ]; then database="${KEEP_PG_DATABASE:-fl_bench_load_$label}"; else database="fl_bench_load_$$_$label"; fi
      url="${pg_admin%/*}/$database"
      query() { psql -qtA -F '|' "$url" -c "$1"; }
      sql() { psql -q "$url" -c "$1" >/dev/null; }
      exists=$(psql "$pg_admin" -qtAc "SELECT 1 FROM pg_database WHERE datname = '$database'")
      if [ -f "$seeded_mark" ] && [ "$exists" = 1 ]; then
        reuse=yes
      else
        reuse=
        rm -f "$seeded_mark"
        psql "$pg_admin" -qtAc "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null
        if [ -z "$keep" ]; then temp_databases+=("$database"); fi
        psql "$pg_admin" -qtAc "CREATE DATABASE $database" >/dev/null
      fi
      ;;
  esac
  export DATABASE_URL="$url"

  if [ -n "$reuse" ]; then
    say "reusing the scale $scale database kept in $keep ($backend_name)"
  else
    "$bin" migrate >/dev/null
    say "seed --scale $scale ($backend_name)"
    start=$(date +%s)
    "$bin" seed --scale "$scale"
    echo "wall: $(($(date +%s) - start)) s"
    # A database in use has been vacuumed and analysed (autovacuum, the server's own
    # statistics); a freshly loaded one has not, and would be measured at its worst.
    case "$backend" in
      sqlite) sql "ANALYZE;" ;;
      postgres) sql "VACUUM ANALYZE;" ;;
    esac
    if [ -n "$keep" ]; then touch "$seeded_mark"; fi
  fi
  # A running server's notes are tagged: tagged here, so its background tagger is not
  # measured beside the requests (none left after the first run on a kept database).
  say "tag-notes ($backend_name)"
  "$bin" tag-notes
}

# This machine's PostgreSQL runs with autovacuum off (its CI configuration). A production
# one vacuums within a minute the rows the server's first read of the model left dead (it
# takes every mark); without that, each request's look for marks reads them all. Called
# once the model is read, to measure the database as it would be in use.
vacuum_as_in_use() {
  if [ "$backend" = postgres ]; then
    sql "VACUUM ANALYZE;"
    # Written out now, not by the background writer while the lines are measured.
    sql "CHECKPOINT;"
  fi
}

# The release server on the database, on a free port at `base`.
start_server() {
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  base="http://127.0.0.1:$port"
  # Uncoloured, so that the log can be searched for its fields.
  NO_COLOR=1 FAMILYLINK_BIND="127.0.0.1:$port" "$bin" serve >"$work/server-$backend.log" 2>&1 &
  server=$!
  for _ in $(seq 600); do
    curl -fs "$base/api/health" >/dev/null && break
    kill -0 "$server" 2>/dev/null || { cat "$work/server-$backend.log" >&2; exit 1; }
    sleep 0.5
  done
  curl -fsS "$base/api/health" >/dev/null
}

# The server reads its analytics model, and its risk worker reads every case not read yet
# (all of them after a seed: minutes), on threads of their own: a line measured meanwhile
# shares the cores with them, the worker's share mostly inside PostgreSQL. Waits until the
# machine is quiet (under a tenth of a core busy over two seconds), at most ten minutes,
# then vacuums as a database in use would be.
settle() {
  local ticks before
  busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
  for _ in $(seq 300); do
    before=$(busy)
    sleep 2
    ticks=$(($(busy) - before))
    [ "$ticks" -lt $(($(getconf CLK_TCK) / 5)) ] && break
  done
  vacuum_as_in_use
}

stop_server() {
  kill "$server" 2>/dev/null
  wait "$server" 2>/dev/null || true
  server=
}

# The largest centre whose staff are all generated (usernames <centre code>-...), its
# caseworker with the most open cases, and its supervisor.
pick_centre() {
  IFS='|' read -r centre_id centre_code centre_clients < <(query "
    SELECT c.id, c.code, (SELECT COUNT(*) FROM clients k WHERE k.centre_id = c.id) AS n FROM centres c
    WHERE EXISTS (SELECT 1 FROM users u WHERE u.centre_id = c.id)
      AND NOT EXISTS (SELECT 1 FROM users u WHERE u.centre_id = c.id AND u.username NOT LIKE (lower(c.code) || '-%'))
    ORDER BY n DESC, c.code LIMIT 1;") || true
  [ -n "${centre_id:-}" ] || { echo "no centre of generated staff: was the database seeded with --scale?" >&2; exit 1; }
  IFS='|' read -r worker worker_open < <(query "
    SELECT u.username, COUNT(*) FROM users u
    JOIN user_roles r ON r.user_id = u.id AND r.role = 'social_worker'
    JOIN cases k ON k.responsible_worker_id = u.id AND k.state = 'open'
    WHERE u.centre_id = '$centre_id' AND u.active
    GROUP BY u.username ORDER BY COUNT(*) DESC, u.username LIMIT 1;") || true
  supervisor=$(query "
    SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'supervisor'
    WHERE u.centre_id = '$centre_id' AND u.active ORDER BY u.username LIMIT 1;")
  if [ -z "${worker:-}" ] || [ -z "$supervisor" ]; then echo "no caseworker with open cases, or no supervisor, in $centre_code" >&2; exit 1; fi
  IFS='|' read -r n_centres n_users n_clients n_cases n_notes < <(query "
    SELECT (SELECT COUNT(*) FROM centres), (SELECT COUNT(*) FROM users), (SELECT COUNT(*) FROM clients),
      (SELECT COUNT(*) FROM cases), (SELECT COUNT(*) FROM case_notes);")
  say "$backend_name: $n_clients clients, $n_cases cases, $n_notes notes; $centre_code ($centre_clients clients): $worker ($worker_open open cases), $supervisor"
}

# The database's engine and size, for the section's heading paragraph.
engine() {
  case "$backend" in
    sqlite) echo "SQLite (bundled), $(du -sh --apparent-size "$url" | cut -f1)B" ;;
    postgres) echo "PostgreSQL $(query 'SHOW server_version;'), $(query "SELECT pg_size_pretty(pg_database_size('$database'));")" ;;
  esac
}

# Appends a section to bench/results.md (and prints it): `title`, then the paragraph
# `about` and the table, then `targets` met or the lines that missed them.
write_section() {
  local title=$1 about=$2 targets=$3 dirty=
  if [ -n "$(git status --porcelain --untracked-files=no)" ]; then dirty=", uncommitted changes in the working tree"; fi
  {
    echo
    echo "## $title"
    echo
    echo "### $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD)$dirty (written by the script)"
    echo
    echo "$about"
    echo
    echo "| line | backend | requests/s | p50 | p95 | p99 | server CPU a request | PostgreSQL CPU a request | non-2xx | errors |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    cat "$work/table.md"
    echo
    if [ -s "$work/misses.txt" ]; then
      echo "Targets ($targets) not met:"
      echo
      sed 's/^/- /' "$work/misses.txt"
    else
      echo "Targets ($targets): met."
    fi
  } >"$work/section.md"
  say "results ($backend_name), appended to bench/results.md"
  cat "$work/section.md"
  cat "$work/section.md" >>bench/results.md
}
