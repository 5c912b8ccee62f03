#!/usr/bin/env bash
# The test command behind `make test` and CI. Pytest's exit code 5 ("no tests ran") is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pytest -q -p no:cacheprovider -n "${TEST_WORKERS:-2}" --dist loadgroup "$@"
rc=$?
if [ $rc -eq 5 ]; then echo "error: no tests ran"; exit 1; fi
exit $rc
