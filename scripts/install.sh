#!/usr/bin/env bash
# Puts `realtimeseg` on the PATH: packs the CLI as a .NET tool (PackAsTool; the bundled demo model and config travel
# in the package) into artifacts/tool and installs it from there — as a global tool in ~/.dotnet/tools, or with
# --tool-path DIR into DIR. Installs the one system package the pipeline needs when missing (as root; otherwise it
# prints the exact command). Run it again after pulling: it reinstalls what the checkout builds.
#   scripts/install.sh                     then: realtimeseg demo
#   scripts/install.sh --tool-path DIR     then: DIR/realtimeseg demo
set -euo pipefail
cd "$(dirname "$0")/.."

tool_path=""
case "${1:-}" in
    "") ;;
    --tool-path) tool_path=${2:?"--tool-path needs a folder"} ;;
    *) echo "usage: scripts/install.sh [--tool-path DIR]" >&2; exit 2 ;;
esac

scripts/install-deps.sh libgtk-3-0   # OpenCV's native library (the letterbox resize) links against it

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
rm -rf artifacts/tool
dotnet pack src/RealtimeSeg.Cli -c Release -o artifacts/tool -nologo -clp:ErrorsOnly -v q >&2

# The version does not change between builds of a checkout, so `update` would keep an older build: reinstall.
if [ -n "$tool_path" ]; then
    dotnet tool uninstall RealtimeSeg.Cli --tool-path "$tool_path" >/dev/null 2>&1 || true
    dotnet tool install RealtimeSeg.Cli --tool-path "$tool_path" --add-source artifacts/tool >&2
    echo "installed: $tool_path/realtimeseg (try: $tool_path/realtimeseg demo)"
else
    dotnet tool uninstall RealtimeSeg.Cli --global >/dev/null 2>&1 || true
    dotnet tool install RealtimeSeg.Cli --global --add-source artifacts/tool >&2
    case ":$PATH:" in
        *":$HOME/.dotnet/tools:"*) echo "installed: realtimeseg (try: realtimeseg demo)" ;;
        *) echo "installed: $HOME/.dotnet/tools/realtimeseg; add it to your PATH: export PATH=\"\$PATH:\$HOME/.dotnet/tools\"" ;;
    esac
fi
