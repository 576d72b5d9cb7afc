using System.Globalization;

namespace RealtimeSeg.Formats.Mot;

/// <summary>
/// A MOTChallenge <c>seqinfo.ini</c>: the <c>[Sequence]</c> section with <c>name</c>, <c>imDir</c>,
/// <c>frameRate</c>, <c>seqLength</c>, <c>imWidth</c>, <c>imHeight</c>, <c>imExt</c>. Only <c>seqLength</c> is
/// required (TrackEval reads nothing else); the others are null when absent.
/// </summary>
public sealed record MotSeqInfo
{
    /// <summary>Number of frames; frames run 1…SeqLength.</summary>
    public required int SeqLength { get; init; }

    public string? Name { get; init; }
    public string? ImageDirectory { get; init; }
    public double? FrameRate { get; init; }
    public int? ImageWidth { get; init; }
    public int? ImageHeight { get; init; }

    /// <summary>Image file extension with its dot, e.g. <c>.jpg</c>.</summary>
    public string? ImageExtension { get; init; }

    /// <summary>
    /// The <c>seqinfo.ini</c> belonging to a ground-truth file: <c>SEQ/seqinfo.ini</c> for <c>SEQ/gt/gt.txt</c>
    /// (MOTChallenge layout), else one in the file's own folder; null when there is none.
    /// </summary>
    public static string? FindFor(string groundTruthPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(groundTruthPath);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(groundTruthPath));
        if (dir is null)
        {
            return null;
        }
        if (string.Equals(Path.GetFileName(dir), "gt", StringComparison.Ordinal))
        {
            string? seqDir = Path.GetDirectoryName(dir);
            string? candidate = seqDir is null ? null : Path.Combine(seqDir, "seqinfo.ini");
            if (candidate is not null && File.Exists(candidate))
            {
                return candidate;
            }
        }
        string beside = Path.Combine(dir, "seqinfo.ini");
        return File.Exists(beside) ? beside : null;
    }

    /// <summary>Reads a <c>seqinfo.ini</c>.</summary>
    /// <exception cref="MotFormatException">No <c>[Sequence]</c> section, no <c>seqLength</c>, or a bad value (file and line named).</exception>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static MotSeqInfo ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads <c>seqinfo.ini</c> text; <paramref name="sourcePath"/> is only used in error messages.</summary>
    /// <exception cref="MotFormatException">As <see cref="ReadFile"/>.</exception>
    public static MotSeqInfo Read(TextReader reader, string sourcePath)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sourcePath);
        bool inSequence = false, sawSequence = false, inSection = false;
        int? seqLength = null, width = null, height = null;
        double? frameRate = null;
        string? name = null, imDir = null, imExt = null;
        int lineNumber = 0;
        while (reader.ReadLine() is { } raw)
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }
            if (line[0] == '[')
            {
                if (line[^1] != ']')
                {
                    throw new MotFormatException(sourcePath, lineNumber, $"malformed section header '{line}'");
                }
                // Section names are case-sensitive in Python's configparser, which TrackEval uses.
                inSequence = line[1..^1].Trim() == "Sequence";
                inSection = true;
                sawSequence |= inSequence;
                continue;
            }
            int sep = line.AsSpan().IndexOfAny('=', ':');
            if (sep <= 0)
            {
                throw new MotFormatException(sourcePath, lineNumber, $"expected 'key=value', got '{line}'");
            }
            if (!inSection)
            {
                throw new MotFormatException(sourcePath, lineNumber, $"'{line}' comes before any [section] header");
            }
            if (!inSequence)
            {
                continue;
            }
            string key = line[..sep].Trim();
            string value = line[(sep + 1)..].Trim();
            // configparser lower-cases keys: seqLength, seqlength and SEQLENGTH are the same key.
            switch (key.ToUpperInvariant())
            {
                case "SEQLENGTH":
                    seqLength = ParseInt(value, key, sourcePath, lineNumber, minimum: 0);
                    break;
                case "IMWIDTH":
                    width = ParseInt(value, key, sourcePath, lineNumber, minimum: 1);
                    break;
                case "IMHEIGHT":
                    height = ParseInt(value, key, sourcePath, lineNumber, minimum: 1);
                    break;
                case "FRAMERATE":
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double fps) || !(fps > 0) || !double.IsFinite(fps))
                    {
                        throw new MotFormatException(sourcePath, lineNumber, $"{key} '{value}' is not a positive number");
                    }
                    frameRate = fps;
                    break;
                case "NAME":
                    name = value;
                    break;
                case "IMDIR":
                    imDir = value;
                    break;
                case "IMEXT":
                    imExt = value;
                    break;
                default:
                    break; // other keys are allowed and ignored
            }
        }
        if (!sawSequence)
        {
            throw new MotFormatException(sourcePath, 0, "no [Sequence] section");
        }
        if (seqLength is not int length)
        {
            throw new MotFormatException(sourcePath, 0, "[Sequence] has no seqLength");
        }
        return new MotSeqInfo
        {
            SeqLength = length,
            Name = name,
            ImageDirectory = imDir,
            FrameRate = frameRate,
            ImageWidth = width,
            ImageHeight = height,
            ImageExtension = imExt,
        };
    }

    /// <summary>Writes the file in MOTChallenge's layout (keys that are null are left out).</summary>
    public void WriteFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var writer = new StreamWriter(path);
        Write(writer);
    }

    /// <summary>Writes the <c>[Sequence]</c> section (keys that are null are left out).</summary>
    public void Write(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write("[Sequence]\n");
        WriteKey(writer, "name", Name);
        WriteKey(writer, "imDir", ImageDirectory);
        WriteKey(writer, "frameRate", FrameRate?.ToString(CultureInfo.InvariantCulture));
        WriteKey(writer, "seqLength", SeqLength.ToString(CultureInfo.InvariantCulture));
        WriteKey(writer, "imWidth", ImageWidth?.ToString(CultureInfo.InvariantCulture));
        WriteKey(writer, "imHeight", ImageHeight?.ToString(CultureInfo.InvariantCulture));
        WriteKey(writer, "imExt", ImageExtension);
    }

    private static void WriteKey(TextWriter writer, string key, string? value)
    {
        if (value is not null)
        {
            writer.Write(key);
            writer.Write('=');
            writer.Write(value);
            writer.Write('\n');
        }
    }

    private static int ParseInt(string value, string key, string source, int lineNumber, int minimum)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int result) || result < minimum)
        {
            throw new MotFormatException(source, lineNumber, $"{key} '{value}' is not an integer ≥ {minimum}");
        }
        return result;
    }
}
