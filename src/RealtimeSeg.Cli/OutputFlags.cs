using System.CommandLine;
using RealtimeSeg.Core;
using RealtimeSeg.Pipeline.Configuration;

namespace RealtimeSeg.Cli;

/// <summary>
/// The outputs <c>run</c> and <c>demo</c> share beside the socket: <c>--record FILE.mcap</c> (the recorder sink) and the
/// v2 image topic (<c>--publish-images</c>, <c>--image-quality</c>, <c>--image-max-width</c>, <c>--image-every</c>; the
/// <c>images:</c> section), and the overlay video and stills (<see cref="OverlayFlags"/>).
/// </summary>
internal static class OutputFlags
{
    private static readonly Option<string?> RecordOption = new("--record") { Description = "record the run into this MCAP file (wire messages for replay/eval, Foxglove image, map and box channels; docs/recording.md)" };
    private static readonly Option<bool> PublishImagesOption = new("--publish-images") { Description = "also publish each processed camera frame as JPEG on rseg/image/<stream> (protocol v2)" };
    private static readonly Option<int?> ImageQualityOption = new("--image-quality") { Description = "JPEG quality 1…100 of published/recorded images (default 80)" };
    private static readonly Option<int?> ImageMaxWidthOption = new("--image-max-width") { Description = "scale images (and the overlay video) down to at most this width (default 640; 0 = the source's)" };
    private static readonly Option<int?> ImageEveryOption = new("--image-every") { Description = "encode an image for every N-th frame only (default 1)" };

    public static IEnumerable<Option> All => [RecordOption, PublishImagesOption, ImageQualityOption, ImageMaxWidthOption, ImageEveryOption, .. OverlayFlags.All];

    /// <summary>Applies the flags over <paramref name="config"/>; range errors come from config validation, naming the key.</summary>
    public static PipelineConfig Apply(ParseResult parse, PipelineConfig config)
    {
        if (parse.GetValue(RecordOption) is { } record)
        {
            if (!record.EndsWith(".mcap", StringComparison.OrdinalIgnoreCase))
            {
                throw new ConfigurationException($"--record {record}: a recording is an MCAP file; name it *.mcap");
            }
            config = config with { Pipeline = config.Pipeline with { Record = Path.GetFullPath(record) } };
        }
        ImageOptions images = config.Images;
        if (parse.GetValue(PublishImagesOption))
        {
            images = images with { Enabled = true };
        }
        if (parse.GetValue(ImageQualityOption) is { } quality)
        {
            images = images with { Quality = quality };
        }
        if (parse.GetValue(ImageMaxWidthOption) is { } width)
        {
            images = images with { MaxWidth = width };
        }
        if (parse.GetValue(ImageEveryOption) is { } every)
        {
            images = images with { Every = every };
        }
        return config with { Images = images, Overlay = OverlayFlags.Apply(parse, config.Overlay) };
    }
}
