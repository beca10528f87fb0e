#!/usr/bin/env bash
# The backup tests CI runs (about 3 minutes on 2 idle cores, 5 at load average 50; after the
# solution is built): the runbook check (commands parse, mentioned scripts exist), the PITR drill
# (which ends with the logical round trip on the restored database), then the encrypted
# repository and retention test. Real PostgreSQL and pgBackRest on PITR_PGPORT (default
# PGPORT_CLINIC + 1, so it runs beside scripts/postgres.sh) and PITR_PGPORT + 10; their own folders under
# /tmp/clinic-pitr-*, removed afterwards. DRILL_NO_BUILD=1 when the solution is already built.
# Ends with "backup tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/../.."
passed=0
failed=0
for test in check-runbooks pitr-drill encrypted-repo-test; do
  echo "-- scripts/backup/$test.sh"
  if scripts/backup/$test.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "backup tests: $passed passed, $failed failed"
[ "$failed" = 0 ]
