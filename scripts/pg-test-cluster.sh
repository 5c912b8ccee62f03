#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite (CI and `make test`): Debian's postgresql,
# a fresh cluster in DIR owned by the postgres user, listening on 127.0.0.1 only (TCP loopback,
# so tests exercise what a grading machine on the network does), trust authentication on loopback.
#
#   scripts/pg-test-cluster.sh start DIR   # prints the SQLAlchemy URL of an empty database
#   scripts/pg-test-cluster.sh stop DIR
#
# Run as root (it switches to the postgres user) or as the user who should own the cluster.
set -euo pipefail
cmd=${1:?usage: pg-test-cluster.sh start|stop DIR}
dir=$(realpath -m "${2:?usage: pg-test-cluster.sh start|stop DIR}")
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "error: PostgreSQL server not installed (apt-get install postgresql; see scripts/install-system-deps.sh)" >&2
  exit 1
fi
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    # max_connections: pytest-xdist workers, the service and its workers each keep small pools.
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=off" >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qAt -c "CREATE DATABASE autograder_test" postgres >/dev/null
    echo "postgresql+psycopg://postgres@127.0.0.1:$port/autograder_test"
    ;;
  stop)
    [ -f "$dir/data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  *) echo "usage: pg-test-cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
