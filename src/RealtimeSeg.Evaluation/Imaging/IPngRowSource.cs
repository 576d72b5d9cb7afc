namespace RealtimeSeg.Evaluation.Imaging;

/// <summary>Supplies an encoder's scanlines in order; may be a ref struct over the caller's pixels.</summary>
internal interface IPngRowSource
{
    /// <summary>Fills <paramref name="row"/> with scanline <paramref name="y"/>, 8 bits per sample.</summary>
    void GetRow(int y, Span<byte> row);
}
