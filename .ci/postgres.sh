#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests: initdb + pg_ctl in a temp dir, on a free loopback port, owned by
# the postgres user when run as root (the server refuses to run as root). Prints the connection string on stdout.
#   eval "$(.ci/postgres.sh start)"   → exports SANDBOX_TEST_POSTGRES and SANDBOX_TEST_PGDATA
#   .ci/postgres.sh stop "$SANDBOX_TEST_PGDATA"
set -euo pipefail

bin_dir() {
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  command -v initdb >/dev/null && dirname "$(command -v initdb)" && return
  return 1
}

case "${1:-}" in
  start)
    bin=$(bin_dir) || { echo "echo 'postgres: no initdb found' >&2"; exit 0; }
    dir=$(mktemp -d /tmp/sandbox-pg.XXXXXX)
    cd "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
           || echo $((20000 + RANDOM % 20000)))
    run=()
    if [ "$(id -u)" = "0" ]; then
      chown postgres:postgres "$dir"
      run=(runuser -u postgres --)
    fi
    "${run[@]}" "$bin/initdb" -D "$dir/data" -U sandbox --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1
    # fsync stays on: the tests kill replicas with SIGKILL and expect committed work to be there.
    "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_preload_libraries=pg_stat_statements" >/dev/null
    "${run[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U sandbox -d postgres -qc "CREATE DATABASE sandbox" >/dev/null
    echo "export SANDBOX_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=sandbox;Database=sandbox'"
    echo "export SANDBOX_TEST_PGDATA='$dir'"
    ;;
  stop)
    dir="${2:?usage: postgres.sh stop DIR}"
    bin=$(bin_dir)
    run=()
    [ "$(id -u)" = "0" ] && run=(runuser -u postgres --)
    "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
