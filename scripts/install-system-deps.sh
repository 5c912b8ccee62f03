#!/usr/bin/env bash
# System packages the grader uses when it can: bubblewrap (the local sandbox).
# Without root or apt, grading still works and reports which protections were off.
set -u
if command -v bwrap >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing bubblewrap"
  (apt-get install -y -qq bubblewrap >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq bubblewrap >/dev/null; }) \
    || echo "warning: could not install bubblewrap; the sandbox runs without mount/network isolation"
else
  echo "warning: bubblewrap is not installed and cannot be installed here (needs root + apt);"
  echo "         grading works, but reports that mount/network/pid isolation is off."
fi
