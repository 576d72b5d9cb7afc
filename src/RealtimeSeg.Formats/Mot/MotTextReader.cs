using System.Globalization;

namespace RealtimeSeg.Formats.Mot;

/// <summary>
/// Reads MOTChallenge text files — ground truth and tracker output alike — into a <see cref="MotSequence"/>.
/// </summary>
/// <remarks>
/// <para>Accepted rows: at least 6 numeric columns <c>frame,id,x,y,w,h</c>, then optionally <c>conf</c>,
/// <c>class</c>, <c>visibility</c> (or MOT15's world <c>x,y,z</c>) and any further numeric columns, which are ignored.
/// Columns are separated by commas (spaces around them allowed, a trailing comma ignored) or, in files without
/// commas, by spaces or tabs. Blank lines are skipped. Frames are 1-based integers (<c>7</c> or <c>7.0</c>); ids
/// are truncated to integers as TrackEval does.</para>
/// <para>Anything else — a non-numeric or non-finite value, too few columns, frame &lt; 1 or beyond the declared
/// length — throws <see cref="MotFormatException"/> naming the file and line. Repeated ids in a frame are read
/// (detection files use −1 throughout) and refused later by the evaluator (TrackEval does the same), again with the line.</para>
/// </remarks>
public static class MotTextReader
{
    private static readonly string[] ColumnNames = ["frame", "id", "x", "y", "width", "height", "conf", "class", "visibility"];

    /// <summary>Reads a file. The name defaults to the sequence folder for <c>SEQ/gt/gt.txt</c>, else the file name without extension.</summary>
    /// <param name="path">The file.</param>
    /// <param name="name">Sequence name for reports; null for the default above.</param>
    /// <param name="frameCount">Sequence length (e.g. <see cref="MotSeqInfo.SeqLength"/>); rows beyond it are an error.</param>
    /// <exception cref="MotFormatException">A bad row, or a file cut short in the middle of its last row.</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static MotSequence ReadFile(string path, string? name = null, int? frameCount = null)
        => ReadFile(path, name, frameCount, allowPartial: false, out _);

    /// <summary>
    /// As <see cref="ReadFile(string, string?, int?)"/>. A file cut short — its last row has no line end and does not
    /// parse, or has another number of columns than the row before (the writer was killed while writing it) — is an
    /// error saying so, unless <paramref name="allowPartial"/>: then that row is left out and <paramref name="cutShort"/> is true.
    /// </summary>
    public static MotSequence ReadFile(string path, string? name, int? frameCount, bool allowPartial, out bool cutShort)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text = File.ReadAllText(path);
        using var reader = new StringReader(text);
        return Read(reader, path, name ?? DefaultName(path), frameCount, endsInRow: text.Length > 0 && text[^1] != '\n', allowPartial, out cutShort);
    }

    /// <summary>Reads rows from a text reader; <paramref name="sourcePath"/> is only used in error messages.</summary>
    /// <exception cref="MotFormatException">A bad row.</exception>
    public static MotSequence Read(TextReader reader, string sourcePath, string name, int? frameCount = null)
        => Read(reader, sourcePath, name, frameCount, endsInRow: false, allowPartial: false, out _);

    private static MotSequence Read(TextReader reader, string sourcePath, string name, int? frameCount, bool endsInRow, bool allowPartial, out bool cutShort)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourcePath);
        ArgumentNullException.ThrowIfNull(name);
        cutShort = false;
        var records = new List<MotRecord>();
        var lines = new List<int>();
        Span<double> values = stackalloc double[ColumnNames.Length];
        int lineNumber = 0;
        int previousColumns = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            ReadOnlySpan<char> text = line.AsSpan().Trim();
            if (text.IsEmpty)
            {
                continue;
            }
            if (endsInRow && reader.Peek() < 0 && IsCutShort(text, values, sourcePath, lineNumber, previousColumns, out string? why))
            {
                if (!allowPartial)
                {
                    throw new MotFormatException(sourcePath, lineNumber,
                        $"the file was cut short in the middle of its last row ({why}; no line end), e.g. its writer was killed; " +
                        "allow partial input (eval --allow-partial) to score the complete rows");
                }
                cutShort = true;
                break;
            }
            int columns = ParseRow(text, values, sourcePath, lineNumber);
            records.Add(ToRecord(values, columns, sourcePath, lineNumber));
            lines.Add(lineNumber);
            previousColumns = columns;
        }
        return new MotSequence(name, sourcePath, [.. records], [.. lines], frameCount);
    }

    /// <summary>An unterminated last row is cut short when it does not parse or has fewer or more columns than the row before.</summary>
    private static bool IsCutShort(ReadOnlySpan<char> text, Span<double> values, string source, int lineNumber, int previousColumns, out string? why)
    {
        int columns;
        try
        {
            columns = ParseRow(text, values, source, lineNumber);
            ToRecord(values, columns, source, lineNumber);
        }
        catch (MotFormatException e)
        {
            string prefix = $"{source}:{lineNumber}: ";
            why = e.Message.StartsWith(prefix, StringComparison.Ordinal) ? e.Message[prefix.Length..] : e.Message;
            return true;
        }
        why = previousColumns > 0 && columns != previousColumns ? $"{columns} columns where the row before has {previousColumns}" : null;
        return why is not null;
    }

    /// <summary><c>…/SEQ/gt/gt.txt</c> → <c>SEQ</c>; <c>…/SEQ.txt</c> → <c>SEQ</c>.</summary>
    internal static string DefaultName(string path)
    {
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (dir is not null && string.Equals(Path.GetFileName(dir), "gt", StringComparison.Ordinal))
        {
            string? seqDir = Path.GetDirectoryName(dir);
            if (seqDir is not null && Path.GetFileName(seqDir).Length > 0)
            {
                return Path.GetFileName(seqDir);
            }
        }
        return Path.GetFileNameWithoutExtension(full);
    }

    /// <returns>The number of columns in the row (values beyond <paramref name="values"/>' length are checked, not kept).</returns>
    private static int ParseRow(ReadOnlySpan<char> text, Span<double> values, string source, int lineNumber)
    {
        bool commas = text.Contains(',');
        int column = 0;
        int start = 0;
        while (start <= text.Length)
        {
            int end = NextSeparator(text, start, commas);
            ReadOnlySpan<char> field = text[start..end].Trim();
            bool last = end >= text.Length;
            start = end + 1;
            if (!commas)
            {
                // Runs of spaces or tabs are one separator.
                while (start < text.Length && char.IsWhiteSpace(text[start]))
                {
                    start++;
                }
            }
            if (field.IsEmpty && last && column > 0)
            {
                break; // a trailing comma, as TrackEval tolerates
            }
            string columnName = column < ColumnNames.Length ? ColumnNames[column] : $"{column + 1}";
            if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            {
                throw new MotFormatException(source, lineNumber, $"column {column + 1} ({columnName}) '{field}' is not a finite number");
            }
            if (column < values.Length)
            {
                values[column] = value;
            }
            column++;
            if (last)
            {
                break;
            }
        }
        if (column < 6)
        {
            throw new MotFormatException(source, lineNumber, $"{column} columns; a MOTChallenge row needs at least frame,id,x,y,w,h");
        }
        return column;
    }

    private static int NextSeparator(ReadOnlySpan<char> text, int start, bool commas)
    {
        for (int i = start; i < text.Length; i++)
        {
            if (commas ? text[i] == ',' : char.IsWhiteSpace(text[i]))
            {
                return i;
            }
        }
        return text.Length;
    }

    private static MotRecord ToRecord(ReadOnlySpan<double> v, int columns, string source, int lineNumber)
    {
        double frame = v[0];
        if (frame != Math.Floor(frame) || frame < 1 || frame > int.MaxValue)
        {
            throw new MotFormatException(source, lineNumber, $"frame {frame.ToString(CultureInfo.InvariantCulture)} is not a 1-based integer frame number");
        }
        return new MotRecord(
            (int)frame,
            ToInt(v[1], "id", source, lineNumber),
            v[2], v[3], v[4], v[5],
            columns > 6 ? v[6] : 1.0,
            columns > 7 ? ToInt(v[7], "class", source, lineNumber) : -1,
            columns > 8 ? v[8] : -1.0);
    }

    private static int ToInt(double value, string column, string source, int lineNumber)
    {
        double truncated = Math.Truncate(value);
        if (truncated < int.MinValue || truncated > int.MaxValue)
        {
            throw new MotFormatException(source, lineNumber, $"{column} {value.ToString(CultureInfo.InvariantCulture)} is out of range");
        }
        return (int)truncated;
    }
}
