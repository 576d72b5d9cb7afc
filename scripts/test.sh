#!/usr/bin/env bash
# Installs missing system packages, builds the solution and runs every test project.
# Ends with one line "N passed, M failed, K skipped"; exits non-zero on any build or test failure.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh || exit 1

# The official MCAP reader the recording tests check our files with (tools/mcap-check): installed from its lock file,
# again only when the lock file changed; --prefer-offline uses npm's cache, so a machine that ran it once needs no network.
checker=tools/mcap-check
if [ ! -f "$checker/node_modules/.package-lock.json" ] || [ "$checker/package-lock.json" -nt "$checker/node_modules/.package-lock.json" ]; then
    if ! (cd "$checker" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error >/dev/null); then
        echo "npm ci in $checker failed: the recording tests that use @mcap/core will fail" >&2
    fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if ! dotnet build RealtimeSeg.sln -c Release -nologo -clp:ErrorsOnly; then
    echo "build failed"
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
fi

results=$(mktemp -d)
log="$results/test.log"
# Test assemblies run one after another: the integration tests run real models on both cores.
dotnet test RealtimeSeg.sln -c Release --no-build -nologo -m:1 \
    --logger "trx" --results-directory "$results" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
    [ -e "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1   # a test host crashed or a project failed to run: count it, never report green
fi
rm -rf "$results"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
