namespace RealtimeSeg.Pipeline.Configuration;

/// <summary>
/// The camera frames the model saw, as JPEG (the <c>images:</c> section; protocol v2 image messages): published on
/// <c>rseg/image/&lt;stream&gt;</c> with <c>--publish-images</c>, and recorded as <c>foxglove.CompressedImage</c> by
/// <c>--record</c> (which turns them on). Each is the frame scaled to at most <see cref="MaxWidth"/> and encoded once,
/// off the inference thread, for every sink.
/// </summary>
public sealed record ImageOptions
{
    /// <summary>Encode images at all. Default false; <c>--publish-images</c> and <c>--record</c> turn it on.</summary>
    public bool Enabled { get; init; }

    /// <summary>JPEG quality, 1…100. Default 80.</summary>
    public int Quality { get; init; } = 80;

    /// <summary>Widest image in pixels (the frame is scaled down, keeping its aspect ratio); 0 keeps the source's width. Default 640; 0 or 64…8192.</summary>
    public int MaxWidth { get; init; } = 640;

    /// <summary>Encode every N-th frame of a stream (by sequence number). Default 1 (every frame); 1…1000.</summary>
    public int Every { get; init; } = 1;

    public void Validate()
    {
        if (Quality is < 1 or > 100)
        {
            throw new ArgumentException($"quality must be 1…100 (got {Quality})", nameof(Quality));
        }
        if (MaxWidth != 0 && MaxWidth is < 64 or > 8192)
        {
            throw new ArgumentException($"max_width must be 0 (the source's width) or 64…8192 (got {MaxWidth})", nameof(MaxWidth));
        }
        if (Every is < 1 or > 1000)
        {
            throw new ArgumentException($"every must be 1…1000 (got {Every})", nameof(Every));
        }
    }

    /// <summary>The encoded size of a <paramref name="width"/> × <paramref name="height"/> frame (even sides, as JPEG prefers).</summary>
    public (int Width, int Height) ScaledSize(int width, int height)
    {
        if (MaxWidth == 0 || width <= MaxWidth)
        {
            return (width, height);
        }
        int w = MaxWidth & ~1;
        int h = Math.Max(2, (int)Math.Round((double)height * w / width) & ~1);
        return (w, h);
    }
}
