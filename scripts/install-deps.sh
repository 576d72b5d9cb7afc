#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages RealtimeSeg needs at run and test time, when missing.
# As root it runs apt-get; otherwise it prints the exact command to run and fails.
#   libgtk-3-0            OpenCvSharp's native library links against it
#   ffmpeg                network streams (RTSP/HTTP) are read through an ffmpeg child process
#   python3-numpy, python3-onnx  decoder tests derive YOLO detection/end-to-end test models from the YOLOv8n-seg asset
#                 (tools/decoder-reference/derive_yolo_variants.py); python3-torchvision only to rebuild the small Mask R-CNN
#   python3-zmq/-msgpack  the Python subscriber test (a third-party client written from docs/protocol.md)
#   python3-gi, gir1.2-gst-rtsp-server-1.0, gstreamer1.0-plugins-{base,good,bad,ugly}
#                         the real RTSP server the network-source tests start (tools/rtsp-server; about 105 MB)
#   util-linux (setpriv)  ffmpeg children get SIGKILL if the pipeline dies (setpriv --pdeathsig)
#   chromium              the live viewer's tests run the page in Debian's headless chromium (DevTools protocol)
#   prometheus            its promtool checks /metrics (`promtool check metrics`) in the web tests
#   nats-server           the fleet and NATS-bridge tests start a real NATS server with JetStream (docs/scale-out.md)
#   nodejs, npm           the recording tests check our MCAP files with the official reader (tools/mcap-check,
#                         @mcap/core); checked by command, not package, since a machine's node may come with its npm
set -euo pipefail

packages=(libgtk-3-0 ffmpeg python3-zmq python3-msgpack python3-numpy python3-onnx util-linux nats-server
          python3-gi gir1.2-gst-rtsp-server-1.0
          gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly
          chromium prometheus)
# `install-deps.sh PKG…` checks only those (scripts/demo.sh needs just what the pipeline itself links against).
if [ $# -gt 0 ]; then
    packages=("$@")
fi
missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if [ $# -eq 0 ]; then
    command -v node >/dev/null 2>&1 || missing+=(nodejs)
    command -v npm >/dev/null 2>&1 || missing+=(npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

# Other sessions may run apt at the same time: apt_update and lock_wait (scripts/apt-wait.sh) wait for apt's locks.
# shellcheck source=scripts/apt-wait.sh
source "$(dirname "$0")/apt-wait.sh"

cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
    echo "installing system packages with apt-get (waiting for apt's lock if another apt holds it): ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt_update
    apt-get -o DPkg::Lock::Timeout="$lock_wait" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "missing system packages: ${missing[*]}" >&2
    echo "run as root:  sudo sh -c '$cmd'" >&2
    exit 1
fi
