#!/usr/bin/env bash
# The backup tests CI runs (about 3 minutes on 2 cores, after the solution is built): the PITR
# drill (which ends with the logical round trip on the restored database), then the encrypted
# repository test. Real PostgreSQL and pgBackRest on PGPORT_CLINIC and PGPORT_CLINIC + 10; their
# own folders under /tmp/clinic-pitr-*, removed afterwards. Ends with "backup tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/../.."
passed=0
failed=0
for test in pitr-drill encrypted-repo-test; do
  echo "-- scripts/backup/$test.sh"
  if scripts/backup/$test.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "backup tests: $passed passed, $failed failed"
[ "$failed" = 0 ]
