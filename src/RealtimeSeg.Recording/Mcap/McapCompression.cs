namespace RealtimeSeg.Recording.Mcap;

/// <summary>How chunk records are compressed.</summary>
public enum McapCompression
{
    /// <summary>zstd (the default): about 2-3x smaller recordings of wire messages at ~1 ms per 1 MiB chunk.</summary>
    Zstd,

    /// <summary>lz4 frames: faster than zstd, larger files.</summary>
    Lz4,

    /// <summary>Stored uncompressed (records still carry their CRC).</summary>
    None,
}
