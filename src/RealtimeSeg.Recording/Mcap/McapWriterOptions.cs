namespace RealtimeSeg.Recording.Mcap;

/// <summary>How <see cref="McapWriter"/> chunks, compresses and labels a file.</summary>
public sealed record McapWriterOptions
{
    /// <summary>Chunk compression; zstd by default (see docs/recording.md for the measured trade-off).</summary>
    public McapCompression Compression { get; init; } = McapCompression.Zstd;

    /// <summary>zstd level (1-19); 3 is zstd's own default and keeps up with recording at full rate on one core.</summary>
    public int ZstdLevel { get; init; } = 3;

    /// <summary>A chunk is closed once its uncompressed records reach this size (1 MiB, as Foxglove's writers do).</summary>
    public int ChunkSizeBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// A chunk is also closed (compressed, written with its message indexes and flushed to the OS) once it has been
    /// open this long, so that a killed recorder loses at most about this much. <see cref="Timeout.InfiniteTimeSpan"/>
    /// closes chunks by size only.
    /// </summary>
    public TimeSpan ChunkDuration { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The Header record's profile (empty: no well-known profile).</summary>
    public string Profile { get; init; } = string.Empty;

    /// <summary>The Header record's library field: who wrote the file.</summary>
    public string Library { get; init; } = "realtimeseg-mcap/1";

    /// <summary>The clock that times <see cref="ChunkDuration"/>; tests inject their own.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
