#!/usr/bin/env bash
# The demo, on a fresh clone: installs the one system package the pipeline needs when missing (as root; otherwise it
# prints the exact command), builds, and runs `realtimeseg demo` — the synthetic drive through the bundled model
# (models/realtimeseg-demo.onnx), tracker and publisher on tcp://127.0.0.1:5556, with a live status line.
# Arguments go to `realtimeseg demo` (e.g. --max-frames 300 --stats s.json). Ctrl-C stops it with a summary.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh libgtk-3-0   # OpenCV's native library (the letterbox resize) links against it

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build src/RealtimeSeg.Cli -c Release -nologo -clp:ErrorsOnly -v q >&2
exec dotnet src/RealtimeSeg.Cli/bin/Release/net10.0/linux-x64/realtimeseg.dll demo "$@"
