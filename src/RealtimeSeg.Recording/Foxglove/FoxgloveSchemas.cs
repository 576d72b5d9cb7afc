using RealtimeSeg.Recording.Mcap;

namespace RealtimeSeg.Recording.Foxglove;

/// <summary>
/// Foxglove's published schemas for the channels Foxglove draws, as protobuf: the schema record carries a binary
/// FileDescriptorSet (generated at build time from @foxglove/schemas 2.1.0 by tools/foxglove-schemas/generate.sh and
/// embedded), the messages are protobuf wire bytes written by <see cref="FoxgloveEncoder"/>.
/// </summary>
public static class FoxgloveSchemas
{
    /// <summary>Schema and message encoding of the Foxglove channels.</summary>
    public const string Encoding = "protobuf";

    public const string CompressedImage = "foxglove.CompressedImage";

    public const string ImageAnnotations = "foxglove.ImageAnnotations";

    private static readonly Lazy<byte[]> Descriptors = new(LoadDescriptors);

    /// <summary>
    /// The FileDescriptorSet (foxglove/CompressedImage.proto, foxglove/ImageAnnotations.proto and their imports,
    /// google/protobuf/timestamp.proto included) that both schemas' records carry.
    /// </summary>
    public static ReadOnlyMemory<byte> DescriptorSet => Descriptors.Value;

    /// <summary>Adds a <c>foxglove.CompressedImage</c> channel (and its schema, once per writer) on <paramref name="topic"/>.</summary>
    public static ushort AddCompressedImageChannel(McapWriter writer, string topic, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return writer.AddChannel(writer.AddSchema(CompressedImage, Encoding, DescriptorSet.Span), topic, Encoding, metadata);
    }

    /// <summary>Adds a <c>foxglove.ImageAnnotations</c> channel (and its schema, once per writer) on <paramref name="topic"/>.</summary>
    public static ushort AddImageAnnotationsChannel(McapWriter writer, string topic, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return writer.AddChannel(writer.AddSchema(ImageAnnotations, Encoding, DescriptorSet.Span), topic, Encoding, metadata);
    }

    private static byte[] LoadDescriptors()
    {
        const string name = "RealtimeSeg.Recording.Foxglove.foxglove-descriptors.bin";
        using Stream stream = typeof(FoxgloveSchemas).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing from {typeof(FoxgloveSchemas).Assembly.GetName().Name}: rebuild the project");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
