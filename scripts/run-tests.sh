#!/usr/bin/env bash
# The test command behind `make test` and CI. Pytest's exit code 5 ("no tests ran") is a failure.
# Unless AUTOGRADER_TEST_DATABASE_URL is set already, a throwaway PostgreSQL server is started on
# loopback (scripts/pg-test-cluster.sh) so that the gradebook, queue and service tests run against
# PostgreSQL as well as SQLite; it is stopped and deleted at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ -z "${AUTOGRADER_TEST_DATABASE_URL:-}" ] && ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  pgdir=$(mktemp -d /tmp/autograder-pg.XXXXXX)
  chmod 755 "$pgdir"
  trap 'bash scripts/pg-test-cluster.sh stop "$pgdir"; rm -rf "$pgdir"' EXIT
  if url=$(bash scripts/pg-test-cluster.sh start "$pgdir"); then
    export AUTOGRADER_TEST_DATABASE_URL=$url
    echo "==> PostgreSQL for the tests: $url"
  else
    echo "warning: could not start PostgreSQL; its tests skip (and fail under CI=true)"
  fi
fi
.venv/bin/python -m pytest -q -p no:cacheprovider -n "${TEST_WORKERS:-2}" --dist loadgroup "$@"
rc=$?
if [ $rc -eq 5 ]; then echo "error: no tests ran"; exit 1; fi
exit $rc
