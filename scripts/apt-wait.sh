#!/usr/bin/env bash
# Sourced by scripts/install-deps.sh (and by ScriptTests): waiting for apt's locks instead of failing.
# Other sessions may run apt at the same time: every apt-get here waits up to 5 minutes for apt's and dpkg's locks
# instead of failing. `apt-get install` honours DPkg::Lock::Timeout for every lock it takes; `apt-get update` does not
# for the package lists' lock (/var/lib/apt/lists/lock, apt 2.6): when that is held, wait for the process apt names
# to end, then try again.
lock_wait=${RSEG_APT_LOCK_WAIT:-300}
apt_update() {
    local deadline=$(( $(date +%s) + lock_wait )) out pid
    while true; do
        if out=$(apt-get -o DPkg::Lock::Timeout="$lock_wait" update -qq 2>&1); then
            return 0
        fi
        if ! grep -q "Could not get lock" <<<"$out" || [ "$(date +%s)" -ge "$deadline" ]; then
            echo "$out" >&2
            return 1
        fi
        pid=$(sed -n 's/.*held by process \([0-9][0-9]*\).*/\1/p' <<<"$out" | head -1)
        if [ -n "$pid" ]; then
            echo "apt-get update: the package lists are locked by process $pid; waiting for it to finish" >&2
            timeout $(( deadline - $(date +%s) )) tail --pid="$pid" -f /dev/null || true
        else
            sleep 2   # the lock's holder is not named: poll (this is a script, not a test)
        fi
    done
}

