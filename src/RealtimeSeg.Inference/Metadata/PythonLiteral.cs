using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace RealtimeSeg.Inference.Metadata;

/// <summary>
/// Reads the small Python literals Ultralytics writes into ONNX metadata with <c>str()</c>: a dict of int → str
/// (<c>{0: 'person', 1: "it's"}</c>), a list of str, or a list of ints (<c>[320, 320]</c>). Load-time only.
/// </summary>
internal static class PythonLiteral
{
    /// <summary>Parses <c>{int: str, …}</c> or <c>[str, …]</c> (index = position) into an id → name map.</summary>
    public static bool TryParseNames(string text, [NotNullWhen(true)] out SortedDictionary<int, string>? names, [NotNullWhen(false)] out string? error)
    {
        names = null;
        var reader = new Reader(text);
        reader.SkipSpace();
        var result = new SortedDictionary<int, string>();
        if (reader.TryConsume('{'))
        {
            reader.SkipSpace();
            while (!reader.TryConsume('}'))
            {
                if (!reader.TryReadInt(out int key))
                {
                    return Fail(reader, "a class id", out error);
                }
                reader.SkipSpace();
                if (!reader.TryConsume(':'))
                {
                    return Fail(reader, "':'", out error);
                }
                reader.SkipSpace();
                if (!reader.TryReadString(out string? value))
                {
                    return Fail(reader, "a quoted class name", out error);
                }
                if (!result.TryAdd(key, value))
                {
                    error = $"class id {key} appears twice";
                    return false;
                }
                if (!reader.SkipSeparator('}'))
                {
                    return Fail(reader, "',' or '}'", out error);
                }
            }
        }
        else if (reader.TryConsume('['))
        {
            reader.SkipSpace();
            while (!reader.TryConsume(']'))
            {
                if (!reader.TryReadString(out string? value))
                {
                    return Fail(reader, "a quoted class name", out error);
                }
                result.Add(result.Count, value);
                if (!reader.SkipSeparator(']'))
                {
                    return Fail(reader, "',' or ']'", out error);
                }
            }
        }
        else
        {
            return Fail(reader, "'{' or '['", out error);
        }
        reader.SkipSpace();
        if (!reader.AtEnd)
        {
            return Fail(reader, "the end of the text", out error);
        }
        names = result;
        error = null;
        return true;
    }

    /// <summary>Parses <c>[h, w]</c>, <c>(h, w)</c> or a single <c>n</c> (square) as Ultralytics writes <c>imgsz</c>.</summary>
    public static bool TryParseImageSize(string text, out int height, out int width)
    {
        height = width = 0;
        var reader = new Reader(text);
        reader.SkipSpace();
        char close = reader.TryConsume('[') ? ']' : reader.TryConsume('(') ? ')' : '\0';
        reader.SkipSpace();
        if (!reader.TryReadInt(out height) || height <= 0)
        {
            return false;
        }
        width = height;
        if (close != '\0')
        {
            reader.SkipSpace();
            if (reader.TryConsume(','))
            {
                reader.SkipSpace();
                if (!reader.TryReadInt(out width) || width <= 0)
                {
                    return false;
                }
                reader.SkipSpace();
            }
            if (!reader.TryConsume(close))
            {
                return false;
            }
        }
        reader.SkipSpace();
        return reader.AtEnd;
    }

    private static bool Fail(in Reader reader, string expected, out string error)
    {
        error = $"expected {expected} at character {reader.Position}";
        return false;
    }

    private ref struct Reader(string text)
    {
        private readonly string _text = text;
        private int _pos;

        public readonly int Position => _pos;
        public readonly bool AtEnd => _pos >= _text.Length;

        public void SkipSpace()
        {
            while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
            {
                _pos++;
            }
        }

        public bool TryConsume(char c)
        {
            if (_pos < _text.Length && _text[_pos] == c)
            {
                _pos++;
                return true;
            }
            return false;
        }

        /// <summary>After an item: a ',' (then maybe the closer, as Python allows a trailing comma) or the closer, left unconsumed.</summary>
        public bool SkipSeparator(char close)
        {
            SkipSpace();
            if (TryConsume(','))
            {
                SkipSpace();
                return true;
            }
            return _pos < _text.Length && _text[_pos] == close;
        }

        public bool TryReadInt(out int value)
        {
            int start = _pos;
            if (_pos < _text.Length && _text[_pos] == '-')
            {
                _pos++;
            }
            while (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
            {
                _pos++;
            }
            if (int.TryParse(_text.AsSpan(start, _pos - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
            {
                return true;
            }
            _pos = start;
            return false;
        }

        public bool TryReadString([NotNullWhen(true)] out string? value)
        {
            value = null;
            if (_pos >= _text.Length || (_text[_pos] != '\'' && _text[_pos] != '"'))
            {
                return false;
            }
            char quote = _text[_pos++];
            var sb = new StringBuilder();
            while (_pos < _text.Length)
            {
                char c = _text[_pos++];
                if (c == quote)
                {
                    value = sb.ToString();
                    return true;
                }
                if (c != '\\')
                {
                    sb.Append(c);
                    continue;
                }
                if (_pos >= _text.Length)
                {
                    return false;
                }
                char e = _text[_pos++];
                switch (e)
                {
                    case 'n': sb.Append('\n'); break;
                    case 't': sb.Append('\t'); break;
                    case 'r': sb.Append('\r'); break;
                    case 'x' when TryHex(2, out int x): sb.Append((char)x); break;
                    case 'u' when TryHex(4, out int u): sb.Append((char)u); break;
                    default: sb.Append(e); break; // \\, \', \" and anything else Python keeps literally
                }
            }
            return false;
        }

        private bool TryHex(int digits, out int value)
        {
            value = 0;
            if (_pos + digits > _text.Length
                || !int.TryParse(_text.AsSpan(_pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value))
            {
                return false;
            }
            _pos += digits;
            return true;
        }
    }
}
