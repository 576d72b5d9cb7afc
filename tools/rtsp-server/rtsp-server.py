#!/usr/bin/python3
"""A real RTSP server for RealtimeSeg's tests and for trying network sources by hand.

GStreamer's RTSP server (GstRtspServer) on 127.0.0.1, serving either a live H.264 test pattern (x264enc, a key
frame every second so a client that reconnects decodes within a second) or an mp4 file's H.264 track as it is.
Prints one line "READY rtsp://127.0.0.1:PORT/PATH" on stdout once it accepts connections, then serves until
killed (SIGTERM/SIGINT stop it cleanly; tests kill its process group).

Needs Debian's python3-gi, gir1.2-gst-rtsp-server-1.0 and gstreamer1.0-plugins-{base,good,bad,ugly}
(scripts/install-deps.sh). Run with /usr/bin/python3: a pyenv python cannot see Debian's gi bindings.

    tools/rtsp-server/rtsp-server.py --port 8554 --path /cam --size 320x240 --fps 25
    tools/rtsp-server/rtsp-server.py --port 8554 --video ../shared/assets/videos/udacity-highway-960x540.mp4
"""
import argparse
import os
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def launch_line(args):
    if args.video:
        # The file's H.264 as it is: no re-encode. Played at its own rate by the server's clock.
        return (f'( filesrc location="{args.video}" ! qtdemux name=d d.video_0 ! queue ! h264parse '
                f'! rtph264pay name=pay0 pt=96 config-interval=1 )')
    width, height = (int(v) for v in args.size.lower().split("x"))
    return (f"( videotestsrc is-live=true pattern={args.pattern} "
            f"! video/x-raw,width={width},height={height},framerate={args.fps}/1 "
            f"! videoconvert ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={args.fps} bitrate={args.bitrate} "
            f"! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=1 )")


def require_basic_auth(server, factory, user, password):
    rtsp_auth = GstRtspServer.RTSPAuth()
    token = GstRtspServer.RTSPToken()
    token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "user")
    rtsp_auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
    server.set_auth(rtsp_auth)
    permissions = GstRtspServer.RTSPPermissions()
    permissions.add_role("user")
    permissions.add_permission_for_role("user", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
    permissions.add_permission_for_role("user", GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT, True)
    factory.set_permissions(permissions)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8554)
    parser.add_argument("--path", default="/test", help="mount point, e.g. /cam")
    parser.add_argument("--size", default="320x240", help="test pattern size WxH")
    parser.add_argument("--fps", type=int, default=25, help="test pattern frame rate")
    parser.add_argument("--bitrate", type=int, default=800, help="test pattern kbit/s")
    parser.add_argument("--pattern", default="ball", help="videotestsrc pattern (ball, smpte, snow, …)")
    parser.add_argument("--video", help="serve this mp4's H.264 track instead of a test pattern")
    parser.add_argument("--exit-with-parent", action="store_true",
                        help="quit when the process that started this one dies (test fixtures: no server outlives a crashed test host)")
    args = parser.parse_args()
    if not args.path.startswith("/"):
        parser.error("--path must start with /")

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch_line(args))
    # One encoder shared by every client: a second client (or a reconnect) joins the running stream.
    factory.set_shared(True)
    auth = os.environ.get("RSEG_RTSP_AUTH")
    if auth:
        # Basic authentication as USER:PASSWORD, from the environment so the password is not on this process's argv.
        user, _, password = auth.partition(":")
        require_basic_auth(server, factory, user, password)
    server.get_mount_points().add_factory(args.path, factory)
    if server.attach(None) == 0:
        print(f"ERROR cannot listen on 127.0.0.1:{args.port}", file=sys.stderr, flush=True)
        return 1

    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    if args.exit_with_parent:
        # Polling the parent pid, not PR_SET_PDEATHSIG: that signal follows the *thread* that forked us, and a test
        # host's thread-pool thread may retire long before the test host exits.
        parent = os.getppid()
        GLib.timeout_add(250, lambda: (loop.quit() or False) if os.getppid() != parent else True)
    print(f"READY rtsp://127.0.0.1:{args.port}{args.path}", flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
