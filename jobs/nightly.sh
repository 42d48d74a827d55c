#!/usr/bin/env bash
# The nightly run as a scheduler starts it: settings from jobs/nightly.args, one log file per night, and the
# exit code passed on with a line saying what it means (SPEC section 5):
#   0 success, 1 failure (including "another run holds the lock"), 2 bad settings, 3 input rejected.
# After every run DIR/published/_last_run.json says succeeded / replaced / failed, with the error, and whether
# the run published: with --publication-cadence monthly (the default) only the first run of each month does.
#   jobs/nightly.sh [extra options that are not in nightly.args]
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here" || exit 1
log_dir="${OUTCOMES_LOG_DIR:-$here/logs}"
mkdir -p "$log_dir"
log="$log_dir/nightly-$(date -u +%Y-%m-%d).log"

echo "$(date -u +%FT%TZ) nightly: start" >>"$log"
jobs/outcomes run @jobs/nightly.args "$@" >>"$log" 2>&1
code=$?
case $code in
  0) what="success" ;;
  2) what="bad settings: fix jobs/nightly.args" ;;
  3) what="input rejected: see the error above and the quarantine counts; the previous outputs are untouched" ;;
  *) what="failed (another run holding the lock, or an error); the previous outputs are untouched" ;;
esac
echo "$(date -u +%FT%TZ) nightly: exit $code, $what" >>"$log"
exit $code
