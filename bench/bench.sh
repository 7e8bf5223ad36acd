#!/usr/bin/env bash
# make bench: page throughput and latency over loopback, beside nginx serving
# the same bytes as static files. See docs/scaling.md.
#
# Builds bin/ledger, loads the datasets and BENCH_DEALS synthetic deals into a
# fresh database on BENCH_ADMIN_URL's server, serves it on a loopback port and
# drives each page with wrk at BENCH_CONNECTIONS connections:
#   warm  wrk for BENCH_DURATION against the same address;
#   cold  BENCH_COLD single requests, each right after a write to the
#         database (and, for lists and searches, each with a query string not
#         asked before);
#   nginx wrk for BENCH_DURATION against the same body served by nginx.
# Nothing here runs in CI.
set -euo pipefail
cd "$(dirname "$0")/.."

DEALS=${BENCH_DEALS:-10000}
DURATION=${BENCH_DURATION:-5s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
COLD=${BENCH_COLD:-40}
ADMIN_URL=${BENCH_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
APP_PORT=${BENCH_APP_PORT:-18380}
NGINX_PORT=${BENCH_NGINX_PORT:-18381}

# wrk and nginx come from Debian (wrk, nginx-light); install them when we can.
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "bench: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
  else
    echo "bench: needs ${missing[*]} (Debian: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

tmp=$(mktemp -d)
chmod 755 "$tmp"
db=ledger_bench_$$
base=${ADMIN_URL%/*}
DBURL="$base/$db"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "bench: building"
go build -o bin/ledger ./cmd/ledger
psql "$ADMIN_URL" -qc "CREATE DATABASE $db" >/dev/null
echo "bench: loading the datasets and $DEALS synthetic deals into $db"
DATABASE_URL=$DBURL ./bin/ledger migrate 2>"$tmp/seed.log"
DATABASE_URL=$DBURL ./bin/ledger seed --synthetic "$DEALS" 2>>"$tmp/seed.log"
sql() { psql "$DBURL" -Atqc "$1"; }

DATABASE_URL=$DBURL ./bin/ledger serve --addr "127.0.0.1:$APP_PORT" 2>"$tmp/serve.log" &
pids+=($!)
app="http://127.0.0.1:$APP_PORT"
for _ in $(seq 100); do curl -fs "$app/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "$app/readyz" >/dev/null || { echo "bench: server did not start:" >&2; cat "$tmp/serve.log" >&2; exit 1; }

mkdir -p "$tmp/static" "$tmp/nginx"
cat >"$tmp/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  keepalive_requests 1000000;
  default_type text/html;
  client_body_temp_path $tmp/nginx/body;
  server { listen 127.0.0.1:$NGINX_PORT; root $tmp/static; }
}
CONF
"$NGINX" -p "$tmp/nginx" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
for _ in $(seq 50); do curl -s "http://127.0.0.1:$NGINX_PORT/" >/dev/null 2>&1 && break; sleep 0.1; done

deal=$(sql "SELECT '/deals/' || id || '/' || slug FROM deals WHERE slug LIKE 'synthetic-%' AND deleted_at IS NULL ORDER BY id OFFSET (SELECT count(*) / 2 FROM deals WHERE slug LIKE 'synthetic-%') LIMIT 1")
write_id=$(sql "SELECT id FROM deals WHERE slug LIKE 'synthetic-%' ORDER BY id LIMIT 1")
words=(locomotive tungsten uranium rail gas copper airport fertilizer solar grain lithium pipeline wind software bank water road aircraft gold cotton)
countries=(kz kg tj tm uz)
stages=(announced agreed contracted under_way delivered stalled)
sectors=(trade minerals energy transport technology finance)

# name|warm path|cold path template ({w} word, {c} country, {s} stage, {x} sector)
pages=(
  "home|/|/"
  "dashboard as of a day|/?as_of=2025-12-31|/?as_of=2025-12-{d}"
  "country|/countries/kazakhstan|/countries/kazakhstan"
  "deal|$deal|$deal"
  "filtered list|/deals?country=kz&stage=contracted|/deals?country={c}&stage={s}&sector={x}"
  "search|/deals?q=locomotive&country=kz|/deals?q={w}&country={c}"
  "deals.csv|/deals.csv|/deals.csv"
)

# ms converts wrk's 1.23ms / 456.00us / 1.20s to milliseconds.
ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) ; else if (v ~ /s$/) n *= 1000; printf "%.1f", n }'; }
# wrk_run URL prints "rps p50 p99 non2xx".
wrk_run() {
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency --timeout 10s "$1")
  local rps p50 p99 bad
  rps=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' <<<"$out")
  p50=$(ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
  p99=$(ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
  bad=$(awk '/Non-2xx/ { print $NF }' <<<"$out")
  echo "$rps $p50 $p99 ${bad:-0}"
}
# pct FILE P prints the P-th percentile (nearest rank) of the numbers in FILE.
pct() { sort -n "$1" | awk -v p="$2" '{ a[NR] = $1 } END { i = int((p / 100) * NR + 0.999); if (i < 1) i = 1; printf "%.1f", a[i] }'; }

{
  echo "machine: $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2 }'), $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB; $(psql --version | head -1 | awk '{print "PostgreSQL client " $3}'); $(wrk --version 2>&1 | head -1 | awk '{print $1, $2}'); $("$NGINX" -v 2>&1 | sed 's/.*: //')"
  echo "data: $(sql "SELECT count(*) FROM deals") deals, $(sql "SELECT count(*) FROM status_updates") updates; wrk -t$THREADS -c$CONNECTIONS -d$DURATION; cold: $COLD requests, each after a write"
  echo
  echo "| page | path | KiB | warm req/s | warm p50 ms | warm p99 ms | nginx req/s | ratio | cold p50 ms | cold p99 ms |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
} | tee "$tmp/report"

n=0
for page in "${pages[@]}"; do
  IFS='|' read -r name path cold <<<"$page"
  n=$((n + 1))
  status=$(curl -s -o "$tmp/static/p$n" -w '%{http_code}' "$app$path")
  if [ "$status" != 200 ]; then echo "bench: $path answered $status" >&2; exit 1; fi
  kib=$(( $(stat -c %s "$tmp/static/p$n") / 1024 ))
  : >"$tmp/cold"
  for i in $(seq "$COLD"); do
    sql "UPDATE deals SET updated_at = updated_at WHERE id = $write_id" >/dev/null
    u=${cold//\{w\}/${words[i % ${#words[@]}]}}
    u=${u//\{c\}/${countries[i % ${#countries[@]}]}}
    u=${u//\{s\}/${stages[(i / 5) % ${#stages[@]}]}}
    u=${u//\{x\}/${sectors[(i / 30) % ${#sectors[@]}]}}
    u=${u//\{d\}/$(printf '%02d' $(( (i % 28) + 1 )))}
    curl -s -o /dev/null -w '%{time_total}\n' "$app$u" | awk '{ printf "%.3f\n", $1 * 1000 }' >>"$tmp/cold"
  done
  read -r rps p50 p99 bad <<<"$(wrk_run "$app$path")"
  read -r nrps _ _ _ <<<"$(wrk_run "http://127.0.0.1:$NGINX_PORT/p$n")"
  ratio=$(awk -v a="$rps" -v b="$nrps" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
  note=""
  [ "$bad" != 0 ] && note=" ($bad non-2xx)"
  echo "| $name | \`${path//|/\\|}\` | $kib | $rps$note | $p50 | $p99 | $nrps | $ratio | $(pct "$tmp/cold" 50) | $(pct "$tmp/cold" 99) |" | tee -a "$tmp/report"
done
