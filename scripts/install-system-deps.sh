#!/usr/bin/env bash
# System packages the grader uses when it can: bubblewrap (the local sandbox) and libseccomp2 (its
# system-call filter, through pyseccomp).
# Without root or apt, grading still works and reports which protections were off.
set -u
if ! command -v bwrap >/dev/null 2>&1; then
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing bubblewrap"
  (apt-get install -y -qq bubblewrap libseccomp2 >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq bubblewrap libseccomp2 >/dev/null; }) \
    || echo "warning: could not install bubblewrap; the sandbox runs without mount/network isolation"
else
  echo "warning: bubblewrap is not installed and cannot be installed here (needs root + apt);"
  echo "         grading works, but reports that mount/network/pid isolation is off."
fi
fi

# Chromium (Debian's package, /usr/bin/chromium) for the submission service's end-to-end browser
# test (tests/service/test_service_browser.py, driven by Playwright; no browser download). Outside
# CI the test is skipped when chromium is missing; under CI=true it fails instead.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing chromium (browser test of the submission service)"
    (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }) \
      || echo "warning: could not install chromium; the service's browser test is skipped (outside CI)"
  else
    echo "warning: chromium is not installed (needs root + apt: apt-get install chromium);"
    echo "         the submission service's browser test is skipped (outside CI)."
  fi
fi

# PostgreSQL (Debian's server) for the gradebook/queue/service tests against a real PostgreSQL
# (scripts/run-tests.sh starts a throwaway cluster with scripts/pg-test-cluster.sh). Outside CI
# those tests are skipped without it; under CI=true they fail instead.
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing postgresql (gradebook and queue tests on PostgreSQL)"
    (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }) \
      || echo "warning: could not install postgresql; the PostgreSQL tests are skipped (outside CI)"
  else
    echo "warning: postgresql is not installed (needs root + apt: apt-get install postgresql);"
    echo "         the gradebook's PostgreSQL tests are skipped (outside CI)."
  fi
fi
