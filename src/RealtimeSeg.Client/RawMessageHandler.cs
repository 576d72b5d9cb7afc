using RealtimeSeg.Protocol;

namespace RealtimeSeg.Client;

/// <summary>
/// A protocol message as received, before it is decoded: its kind, its stream's name (ASCII bytes of the topic) and the
/// payload. Both spans are valid only during the call. For recorders and bridges that keep the exact bytes.
/// </summary>
public delegate void RawMessageHandler(WireMessageKind kind, ReadOnlySpan<byte> stream, ReadOnlyMemory<byte> payload);
