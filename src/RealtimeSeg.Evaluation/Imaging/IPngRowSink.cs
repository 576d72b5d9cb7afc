namespace RealtimeSeg.Evaluation.Imaging;

/// <summary>Receives a PNG's unfiltered scanlines in order; a struct so the decoder's calls are not virtual.</summary>
internal interface IPngRowSink
{
    void Begin(in PngHeader header, ReadOnlySpan<byte> palette);

    /// <summary>Scanline <paramref name="y"/> as stored (samples packed at the header's bit depth), filter removed.</summary>
    void Row(in PngHeader header, int y, ReadOnlySpan<byte> raw);
}
