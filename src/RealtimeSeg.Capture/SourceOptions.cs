using RealtimeSeg.Capture.Cameras;
using RealtimeSeg.Capture.Images;
using RealtimeSeg.Capture.Network;
using RealtimeSeg.Core;

namespace RealtimeSeg.Capture;

/// <summary>Options shared by every frame source. Defaults suit a live-like playback of a recording.</summary>
public sealed record SourceOptions
{
    /// <summary>How fast frames are emitted (ignored by live devices, which run at their own rate). Default <see cref="Pacing.Realtime"/>.</summary>
    public Pacing Pacing { get; init; } = Pacing.Realtime;

    /// <summary>
    /// Stop after this many frames have been read from the source, counting frames dropped for want of a slot and
    /// skipped as corrupt (the same count as sequence numbers). 0, the default, means no limit.
    /// </summary>
    public long MaxFrames { get; init; }

    /// <summary>
    /// Frames of a finite source with a lower sequence number are read past and never delivered (counted as read only),
    /// so frame N keeps sequence number N and its media time: a segment of a recording. 0, the default, skips nothing.
    /// </summary>
    public long FirstFrame { get; init; }

    /// <summary>Start again from the first frame at the end of a finite source (sequence numbers keep increasing). Default false.</summary>
    public bool Loop { get; init; }

    /// <summary>Network streams: transport, stall watchdog, reconnect policy, size override.</summary>
    public NetworkSourceOptions Network { get; init; } = new();

    /// <summary>Cameras: requested size, rate and pixel format.</summary>
    public CameraOptions Camera { get; init; } = new();

    /// <summary>Image sequences: timestamps file and nominal rate.</summary>
    public ImageSequenceOptions Images { get; init; } = new();

    /// <summary>Throws <see cref="ConfigurationException"/> naming the bad option.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Pacing))
        {
            throw new ConfigurationException($"source option 'pacing' is {(int)Pacing}; expected one of realtime, max, lockstep");
        }
        if (MaxFrames < 0)
        {
            throw new ConfigurationException($"source option 'max_frames' is {MaxFrames}; expected 0 (no limit) or a positive frame count");
        }
        if (FirstFrame < 0)
        {
            throw new ConfigurationException($"source option 'first_frame' is {FirstFrame}; expected 0 or a frame number");
        }
        if (Network is null || Camera is null || Images is null)
        {
            throw new ConfigurationException("source options 'network', 'camera' and 'images' must not be null");
        }
        Network.Validate();
        Camera.Validate();
        Images.Validate();
    }
}
