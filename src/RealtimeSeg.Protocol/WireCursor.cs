using System.Buffers;
using System.Runtime.CompilerServices;
using MessagePack;

namespace RealtimeSeg.Protocol;

/// <summary>
/// A <see cref="MessagePackReader"/> that checks the type of every value against the spec before reading it,
/// so malformed input fails with a <see cref="ProtocolException"/> naming the key, the expected type and the
/// byte offset instead of a bare MessagePack error. Never allocates unless it throws.
/// </summary>
internal ref struct WireCursor
{
    private MessagePackReader _reader;
    private readonly long _baseOffset;
    private readonly ParseState _state;

    public WireCursor(in ReadOnlySequence<byte> sequence, long baseOffset, ParseState state)
    {
        _reader = new MessagePackReader(sequence);
        _baseOffset = baseOffset;
        _state = state;
    }

    /// <summary>Byte offset of the next token within the whole payload.</summary>
    public readonly long Offset => _baseOffset + _reader.Consumed;

    public readonly bool End => _reader.End;

    public readonly SequencePosition Position => _reader.Position;

    /// <summary>Names an unknown key in errors (its bytes are not kept, to stay allocation-free).</summary>
    public const string UnknownKey = "(unknown key)";

    /// <summary>Skips one value; <paramref name="key"/> names it should the payload end inside it.</summary>
    public void Skip(string key)
    {
        _state.Key = key;
        _reader.Skip();
    }

    public int ReadMapHeader(string key)
    {
        Expect(MessagePackType.Map, key, "map");
        return _reader.ReadMapHeader();
    }

    public int ReadArrayHeader(string key)
    {
        Expect(MessagePackType.Array, key, "array");
        return _reader.ReadArrayHeader();
    }

    /// <summary>
    /// Reads a map key. Non-string keys and keys too long for <paramref name="scratch"/> come back empty, which
    /// matches no known key, so they are skipped like any other unknown key.
    /// </summary>
    public ReadOnlySpan<byte> ReadKey(Span<byte> scratch)
    {
        _state.Key = "";
        if (_reader.NextMessagePackType != MessagePackType.String)
        {
            _reader.Skip();
            return default;
        }
        if (_reader.TryReadStringSpan(out ReadOnlySpan<byte> span))
        {
            return span;
        }
        ReadOnlySequence<byte>? sequence = _reader.ReadStringSequence();
        if (sequence is not { } s || s.Length > scratch.Length)
        {
            return default;
        }
        s.CopyTo(scratch);
        return scratch[..(int)s.Length];
    }

    /// <summary>Reads a UTF-8 string value into a span (copied into <paramref name="scratch"/> when split across segments).</summary>
    public ReadOnlySpan<byte> ReadUtf8(string key, Span<byte> scratch)
    {
        Expect(MessagePackType.String, key, "string");
        if (_reader.TryReadStringSpan(out ReadOnlySpan<byte> span))
        {
            return span;
        }
        long at = Offset;
        ReadOnlySequence<byte> s = _reader.ReadStringSequence()!.Value;
        if (s.Length > scratch.Length)
        {
            throw Error(key, $"string longer than {scratch.Length} bytes", at);
        }
        s.CopyTo(scratch);
        return scratch[..(int)s.Length];
    }

    public string ReadString(string key)
    {
        Expect(MessagePackType.String, key, "string");
        return _reader.ReadString()!;
    }

    public long ReadInt64(string key)
    {
        Expect(MessagePackType.Integer, key, "integer");
        long at = Offset;
        try
        {
            return _reader.ReadInt64();
        }
        catch (OverflowException e)
        {
            throw Error(key, "integer does not fit in int64", at, e);
        }
    }

    public int ReadInt32(string key, int min, int max)
    {
        long at = Offset;
        long value = ReadInt64(key);
        if (value < min || value > max)
        {
            throw Error(key, $"integer {value} outside {min}…{max}", at);
        }
        return (int)value;
    }

    public uint ReadUInt32(string key)
    {
        long at = Offset;
        long value = ReadInt64(key);
        if (value is < 0 or > uint.MaxValue)
        {
            throw Error(key, $"integer {value} outside 0…{uint.MaxValue}", at);
        }
        return (uint)value;
    }

    /// <summary>Accepts float32, float64 (other writers' default) and integers, as the spec allows.</summary>
    public float ReadSingle(string key)
    {
        _state.Key = key;
        switch (_reader.NextMessagePackType)
        {
            case MessagePackType.Float:
                return _reader.NextCode == MessagePackCode.Float64 ? (float)_reader.ReadDouble() : _reader.ReadSingle();
            case MessagePackType.Integer:
                return ReadInt64(key);
            default:
                throw TypeError(key, "float or integer");
        }
    }

    public bool ReadBoolean(string key)
    {
        Expect(MessagePackType.Boolean, key, "boolean");
        return _reader.ReadBoolean();
    }

    /// <summary>Reads a bin value; the result is a slice of the payload, not a copy.</summary>
    public ReadOnlySequence<byte> ReadBinary(string key)
    {
        Expect(MessagePackType.Binary, key, "bin");
        return _reader.ReadBytes()!.Value;
    }

    /// <summary>Reads an array of exactly <paramref name="count"/> numbers (bbox, centroid, velocity).</summary>
    public void ReadSingles(string key, scoped Span<float> values)
    {
        long at = Offset;
        int n = ReadArrayHeader(key);
        if (n != values.Length)
        {
            throw Error(key, $"expected an array of {values.Length} numbers, found {n} elements", at);
        }
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ReadSingle(key);
        }
    }

    public readonly ProtocolException Error(string key, string problem, long offset, Exception? inner = null)
        => new(_state.DescribeKey(key), problem, offset, inner);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Expect(MessagePackType type, string key, string expected)
    {
        _state.Key = key;
        if (_reader.NextMessagePackType != type)
        {
            throw TypeError(key, expected);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly ProtocolException TypeError(string key, string expected)
        => Error(key, $"expected {expected}, found {Describe(_reader.NextMessagePackType)}", Offset);

    private static string Describe(MessagePackType type) => type switch
    {
        MessagePackType.Integer => "integer",
        MessagePackType.Nil => "nil",
        MessagePackType.Boolean => "boolean",
        MessagePackType.Float => "float",
        MessagePackType.String => "string",
        MessagePackType.Binary => "bin",
        MessagePackType.Array => "array",
        MessagePackType.Map => "map",
        MessagePackType.Extension => "extension",
        _ => "an invalid MessagePack code",
    };
}
