#!/usr/bin/env bash
# Sets everything up and runs every test; prints 'N passed, N failed' at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
dotnet test EmotionLab.sln -c Release --no-build -nologo --logger "trx" --results-directory "$results" || status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  passed=$((passed + $(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")))
  failed=$((failed + $(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")))
  skipped=$((skipped + $(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")))
done
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then echo "no test ran" >&2; exit 1; fi
exit "$status"
