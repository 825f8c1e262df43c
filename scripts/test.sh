#!/usr/bin/env bash
# The full test suite: installs what is missing, type-checks, then runs every test file.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/ensure-test-deps.sh
npx tsc --noEmit
mapfile -t files < <(find src test -name '*.test.ts' 2>/dev/null | sort)
exec node --import tsx --test --test-reporter=spec "${files[@]}"
