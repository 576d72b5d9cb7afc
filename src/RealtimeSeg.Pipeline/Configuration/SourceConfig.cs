using RealtimeSeg.Capture;
using RealtimeSeg.Capture.Cameras;
using RealtimeSeg.Capture.Images;
using RealtimeSeg.Capture.Network;

namespace RealtimeSeg.Pipeline.Configuration;

/// <summary>One stream to read (an item of the <c>sources:</c> list). docs/sources.md describes every URI form and option.</summary>
public sealed record SourceConfig
{
    /// <summary>A video path or <c>file:PATH</c>, <c>images:DIR</c>, <c>rtsp://…</c> (or http(s)/udp/srt), <c>camera:N</c>, <c>/dev/videoN</c>, <c>synthetic:…</c>, or <c>drive:FILE</c>: a recorded drive whose cameras become streams.</summary>
    public string Uri { get; init; } = "";

    /// <summary>Stream id on the wire and in stats; <c>s0</c>, <c>s1</c>, … by position when absent. For a drive: the drive's name in the log (its streams are named by camera).</summary>
    public string? Name { get; init; }

    /// <summary>Network streams: <c>transport</c>, <c>stall_timeout</c>, <c>open_timeout</c>, <c>reconnect</c>, <c>width</c>/<c>height</c>, <c>ffmpeg</c>.</summary>
    public NetworkSourceOptions Network { get; init; } = new();

    /// <summary>Cameras: requested <c>width</c>/<c>height</c>, <c>fps</c>, <c>fourcc</c>.</summary>
    public CameraOptions Camera { get; init; } = new();

    /// <summary>Image sequences: <c>timestamps</c> file, <c>fps</c>.</summary>
    public ImageSequenceOptions Images { get; init; } = new();

    /// <summary>The options a source of this entry opens with: the pipeline-wide ones plus this entry's sections.</summary>
    public SourceOptions ApplyTo(SourceOptions pipelineWide)
    {
        ArgumentNullException.ThrowIfNull(pipelineWide);
        return pipelineWide with { Network = Network, Camera = Camera, Images = Images };
    }

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Uri))
        {
            throw new ArgumentException("uri is required (a video path or file:PATH)");
        }
        if (Name is not null && (Name.Length == 0 || Name.Contains('/', StringComparison.Ordinal)))
        {
            throw new ArgumentException($"name '{Name}' must be non-empty and without '/' (it becomes a topic segment)");
        }
        if (Network is null || Camera is null || Images is null)
        {
            throw new ArgumentException("network, camera and images must be mappings, not null");
        }
        // Each throws a ConfigurationException naming its key (network.stall_timeout, …); the loader adds file and line.
        Network.Validate();
        Camera.Validate();
        Images.Validate();
    }
}
