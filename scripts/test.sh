#!/usr/bin/env bash
# Installs missing system packages, then builds the solution and runs every test project in two configurations:
#   Release  what ships;
#   Debug    Debug.Assert and [Conditional("DEBUG")] AssertInvariants() execute. A failed assert ends the test host
#            (tests/Shared/FailFastTraceListener.cs) instead of becoming an exception some thread could swallow, and a
#            crashed test host counts as a failure here.
# Both runs use the blame collector: when no test has started or ended for $hang_timeout, the test host (and its
# children) is dumped and killed, and the output names the test that was running.
# Ends with one line "N passed, M failed, K skipped" summing both configurations; exits non-zero on any build or test
# failure, a crashed or hung test host included.
#   scripts/test.sh [dotnet test arguments…]           e.g. --filter "FullyQualifiedName~Pipeline"
#   RSEG_TEST_CONFIGURATIONS=Release scripts/test.sh   one configuration only (default: "Release Debug")
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh || exit 1

# The official MCAP reader the recording tests check our files with (tools/mcap-check): installed from its lock file,
# again only when the lock file changed; --prefer-offline uses npm's cache, so a machine that ran it once needs no network.
checker=tools/mcap-check
if [ ! -f "$checker/node_modules/.package-lock.json" ] || [ "$checker/package-lock.json" -nt "$checker/node_modules/.package-lock.json" ]; then
    echo "installing $checker's npm packages from its lock file (@mcap/core, @mcap/support, @mcap/nodejs) into $checker/node_modules" >&2
    if ! (cd "$checker" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error >/dev/null); then
        echo "npm ci in $checker failed: the recording tests that use @mcap/core will fail" >&2
    fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configurations=${RSEG_TEST_CONFIGURATIONS:-Release Debug}
# The blame collector's clock restarts whenever a test starts or ends. On this 2-core machine under load the slowest
# healthy test (the RTSP acceptance run, which streams for a minute by design) takes about 75 s and every other one
# under 15 s; no test waits longer than 5 minutes for anything by itself, so its own, more telling failure comes first.
# 8 minutes without a test starting or ending is therefore a hang; it also bounds what a hang costs CI (the two runs
# take about 12 minutes on a clean clone: one hang per configuration still ends well within CI's limit).
hang_timeout=8m

results=$(mktemp -d)
passed=0; failed=0; skipped=0; broken=0

# Adds one configuration's .trx counters to the totals. A test host that crashed (a failed Debug.Assert, a native
# fault) or was killed as hung leaves a run whose outcome is not "Completed", often with no failed test in it (the
# tests it was running never report): such a run counts as one failure, so it can never read as green.
count_results() {
    local dir=$1 trx counters p f n outcome
    for trx in "$dir"/*.trx; do
        [ -e "$trx" ] || continue
        counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
        p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
        n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
        outcome=$(grep -o '<ResultSummary outcome="[A-Za-z]*"' "$trx" | head -1 | sed 's/.*outcome="\([A-Za-z]*\)"/\1/')
        if [ "${outcome:-Completed}" != "Completed" ] && [ "${f:-0}" -eq 0 ]; then
            f=1
            echo "test run aborted (test host crashed or hung): $trx"
        fi
        passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
    done
}

for configuration in $configurations; do
    started=$(date +%s)
    echo "=== $configuration: build"
    if ! dotnet build RealtimeSeg.sln -c "$configuration" -nologo -clp:ErrorsOnly; then
        echo "build failed ($configuration)"
        failed=$((failed + 1)); broken=1
        continue
    fi
    echo "=== $configuration: test"
    dir="$results/$configuration"
    before=$failed
    # Test assemblies run one after another: the integration tests run real models on both cores.
    dotnet test RealtimeSeg.sln -c "$configuration" --no-build -nologo -m:1 \
        --blame-hang-timeout "$hang_timeout" --blame-hang-dump-type mini \
        --logger "trx" --results-directory "$dir" "$@" 2>&1 | tee "$dir.log"
    status=${PIPESTATUS[0]}
    count_results "$dir"
    if [ "$status" -ne 0 ] && [ "$failed" -eq "$before" ]; then
        failed=$((failed + 1))   # a project failed to run at all: count it, never report green
    fi
    [ "$status" -ne 0 ] && broken=1
    # The newcomer's path (README): scripts/install.sh packs the CLI as a .NET tool and installs it; the installed
    # `realtimeseg` must answer --help and run the demo with the model that travels in the package. Once, in Release,
    # on a full run only (a --filter run skips it).
    if [ "$configuration" = Release ] && [ $# -eq 0 ]; then
        echo "=== Release: newcomer path (scripts/install.sh --tool-path, realtimeseg --help, realtimeseg demo)"
        tools=$(mktemp -d)
        if scripts/install.sh --tool-path "$tools" >"$dir.install.log" 2>&1 \
            && "$tools/realtimeseg" --help 2>&1 | grep -q "demo" \
            && "$tools/realtimeseg" demo --max-frames 3 --publish 'tcp://127.0.0.1:*' >>"$dir.install.log" 2>&1; then
            passed=$((passed + 1))
        else
            echo "newcomer path failed: see $dir.install.log"
            failed=$((failed + 1)); broken=1
        fi
        rm -rf "$tools"
    fi
    echo "=== $configuration: done in $(( $(date +%s) - started )) s"
done

if [ "$broken" -eq 0 ] && [ "$failed" -eq 0 ]; then
    rm -rf "$results"
else
    echo "test logs, results and any hang dumps kept in $results"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$broken" -eq 0 ] && [ "$failed" -eq 0 ]
