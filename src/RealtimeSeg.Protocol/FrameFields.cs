namespace RealtimeSeg.Protocol;

/// <summary>Which keys of a frame message a reader has seen, to check required keys after a single pass.</summary>
[Flags]
internal enum FrameFields
{
    None = 0,
    Version = 1,
    Type = 2,
    Stream = 4,
    Sequence = 8,
    MapWidth = 16,
    MapHeight = 32,
    Encoding = 64,
    Map = 128,
    Stages = 256,
    Segments = 512,
}
