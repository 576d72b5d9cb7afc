using System.Diagnostics;
using System.Globalization;
using RealtimeSeg.Core;

namespace RealtimeSeg.Capture.Cameras;

/// <summary>Opens <c>camera:N</c> / <c>/dev/videoN</c> as a frame source.</summary>
internal static class CameraSource
{
    /// <summary>
    /// A live device runs at its own rate: realtime pacing becomes "as it comes" (pacing a camera against a clock would
    /// only add latency); lockstep still never drops.
    /// </summary>
    public static IFrameSource Open(SourceUri uri, int streamIndex, SourceOptions options, IPipelineLog log)
    {
        Debug.Assert(uri.Kind == SourceKind.Camera);
        string device = CameraVideoReader.DevicePath(uri);
        CameraVideoReader reader = CameraVideoReader.Open(uri.Original, device, options.Camera);
        if (reader.Mismatch(options.Camera) is { } mismatch)
        {
            log.Warn($"s{streamIndex}: {device} did not grant the requested mode: {mismatch}");
        }
        log.Info(string.Create(CultureInfo.InvariantCulture, $"s{streamIndex}: opened camera {device}: {reader.Width}x{reader.Height} {reader.Fourcc} @ {reader.FramesPerSecond:0.##} fps"));
        SourceOptions live = options with { Pacing = options.Pacing == Pacing.Lockstep ? Pacing.Lockstep : Pacing.Max, Loop = false };
        return new FileFrameSource(uri.Original, device, streamIndex, live, reader, log);
    }
}
