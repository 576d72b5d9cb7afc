using System.Diagnostics;
using System.Globalization;
using System.Text;
using RealtimeSeg.Core;

namespace RealtimeSeg.Formats.Mot;

/// <summary>
/// Writes MOTChallenge rows (<c>--dump-mot</c>, the offline tracker, ground-truth export), one
/// <c>\n</c>-terminated line per row, numbers in the invariant culture with the shortest round-trip form.
/// </summary>
/// <remarks>
/// Formatting goes through a reused character buffer: after the first row, writing allocates nothing, so the
/// pipeline may call it once per tracked object per frame. Not thread-safe; one writer per file.
/// Disposing flushes and, unless <c>leaveOpen</c>, disposes the underlying writer.
/// <para>A file from <see cref="Create"/> only ever receives whole rows: rows wait in a buffer of their own and go to the
/// (unbuffered) file together, a whole number of rows per write, when the buffer is full or on <see cref="Flush"/>. A
/// process killed at any moment therefore leaves complete rows only (what the kernel had received).</para>
/// </remarks>
public sealed class MotTrackWriter : IDisposable
{
    // frame,id + 4 doubles + score + class + visibility, each at most ~24 characters.
    private readonly char[] _line = new char[256];
    private readonly TextWriter? _writer;
    private readonly Stream? _file;
    private readonly byte[] _rows = [];
    private readonly bool _leaveOpen;
    private int _rowBytes;
    private bool _disposed;

    public MotTrackWriter(TextWriter writer, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _leaveOpen = leaveOpen;
    }

    private MotTrackWriter(Stream file)
    {
        _file = file;
        _rows = new byte[1 << 16];
    }

    /// <summary>Creates (or truncates) a file, creating its folder when needed.</summary>
    public static MotTrackWriter Create(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }
        // bufferSize 0: no FileStream buffer that could write half a row; this writer hands over whole rows only.
        return new MotTrackWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0));
    }

    /// <summary>Rows written so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>A tracker row for a pipeline box (corners → x,y,w,h).</summary>
    public void WriteTrack(int frame, int id, in BoundingBox box, float score)
    {
        int n = Begin(frame, id);
        n = Field(n, box.X1);
        n = Field(n, box.Y1);
        n = Field(n, box.Width);
        n = Field(n, box.Height);
        n = Number(n, score);
        EndTracker(n);
    }

    /// <summary>A tracker row: <c>frame,id,x,y,w,h,score,-1,-1,-1</c>.</summary>
    public void WriteTrack(int frame, int id, double x, double y, double width, double height, double score)
    {
        int n = Begin(frame, id);
        n = Field(n, x);
        n = Field(n, y);
        n = Field(n, width);
        n = Field(n, height);
        n = Number(n, score);
        EndTracker(n);
    }

    /// <summary>
    /// A detection row: <c>frame,-1,x,y,w,h,score,class,-1,-1</c> (with class −1 exactly MOT15's public detection rows;
    /// <c>realtimeseg track</c> reads column 8 as the class).
    /// </summary>
    public void WriteDetection(int frame, double x, double y, double width, double height, double score, int classId)
        => WriteTrack(frame, -1, x, y, width, height, score, classId);

    /// <summary>A detection row for a pipeline box (corners → x,y,w,h), each number in its float's shortest form, which reads back to the same float.</summary>
    public void WriteDetection(int frame, in BoundingBox box, float score, int classId)
    {
        int n = Begin(frame, -1);
        n = Field(n, box.X1);
        n = Field(n, box.Y1);
        n = Field(n, box.Width);
        n = Field(n, box.Height);
        n = Field(n, score);
        n = Number(n, classId);
        EndClassRow(n);
    }

    /// <summary>
    /// A tracker row with its class: <c>frame,id,x,y,w,h,score,class,-1,-1</c> (what <c>eval mot</c> scores per class;
    /// class −1 is the plain tracker row).
    /// </summary>
    public void WriteTrack(int frame, int id, double x, double y, double width, double height, double score, int classId)
    {
        int n = Begin(frame, id);
        n = Field(n, x);
        n = Field(n, y);
        n = Field(n, width);
        n = Field(n, height);
        n = Field(n, score);
        n = Number(n, classId);
        EndClassRow(n);
    }

    private void EndClassRow(int n)
    {
        const string Tail = ",-1,-1\n";
        Tail.CopyTo(_line.AsSpan(n));
        Emit(n + Tail.Length);
    }

    /// <summary>A MOT16/17/20 ground-truth row: <c>frame,id,x,y,w,h,flag,class,visibility</c>.</summary>
    /// <param name="evaluated">The flag column: false rows are ignored by the evaluation ("zero-marked").</param>
    public void WriteGroundTruth(int frame, int id, double x, double y, double width, double height, int classId, double visibility, bool evaluated = true)
    {
        int n = Begin(frame, id);
        n = Field(n, x);
        n = Field(n, y);
        n = Field(n, width);
        n = Field(n, height);
        _line[n++] = evaluated ? '1' : '0';
        _line[n++] = ',';
        n = Number(n, classId);
        _line[n++] = ',';
        n = Number(n, visibility);
        _line[n++] = '\n';
        Emit(n);
    }

    /// <summary>Writes a record in the given layout (tracker rows keep its confidence as the score).</summary>
    public void Write(in MotRecord record, MotRowLayout layout)
    {
        if (layout == MotRowLayout.GroundTruth)
        {
            WriteGroundTruth(record.Frame, record.Id, record.X, record.Y, record.Width, record.Height, record.ClassId, record.Visibility,
                evaluated: (int)record.Confidence != 0);
        }
        else
        {
            WriteTrack(record.Frame, record.Id, record.X, record.Y, record.Width, record.Height, record.Confidence);
        }
    }

    /// <summary>Writes every row of a sequence to a file.</summary>
    public static void WriteFile(string path, MotSequence sequence, MotRowLayout layout = MotRowLayout.Tracker)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        using var writer = Create(path);
        foreach (MotRecord r in sequence.Span)
        {
            writer.Write(r, layout);
        }
    }

    /// <summary>Hands every row written so far to the operating system (a killed process keeps them).</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        FlushCore();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            FlushCore();
        }
        finally
        {
            if (_file is not null)
            {
                _file.Dispose();
            }
            else if (!_leaveOpen)
            {
                _writer!.Dispose();
            }
        }
    }

    private void FlushCore()
    {
        if (_file is null)
        {
            _writer!.Flush();
            return;
        }
        if (_rowBytes > 0)
        {
            _file.Write(_rows, 0, _rowBytes);
            _rowBytes = 0;
        }
    }

    private int Begin(int frame, int id)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(frame, 1);
        int n = Number(0, frame);
        _line[n++] = ',';
        n = Number(n, id);
        _line[n++] = ',';
        return n;
    }

    private void EndTracker(int n)
    {
        const string Tail = ",-1,-1,-1\n";
        Tail.CopyTo(_line.AsSpan(n));
        Emit(n + Tail.Length);
    }

    private void Emit(int n)
    {
        if (_file is null)
        {
            _writer!.Write(_line.AsSpan(0, n));
        }
        else
        {
            if (_rowBytes + n > _rows.Length)
            {
                FlushCore();
            }
            // Invariant-culture numbers, commas and '\n': ASCII, one byte per character.
            _rowBytes += Encoding.ASCII.GetBytes(_line.AsSpan(0, n), _rows.AsSpan(_rowBytes));
        }
        RowCount++;
    }

    private int Field(int n, double value)
    {
        n = Number(n, value);
        _line[n] = ',';
        return n + 1;
    }

    private int Field(int n, float value)
    {
        n = Number(n, value);
        _line[n] = ',';
        return n + 1;
    }

    private int Number(int n, int value)
    {
        bool ok = value.TryFormat(_line.AsSpan(n), out int written, default, CultureInfo.InvariantCulture);
        Debug.Assert(ok, "line buffer sized for the longest row");
        return n + written;
    }

    // Floats keep their own shortest form (12.3f → "12.3", not "12.300000190734863").
    private int Number(int n, float value)
    {
        if (!float.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "MOTChallenge rows need finite numbers");
        }
        bool ok = value.TryFormat(_line.AsSpan(n), out int written, default, CultureInfo.InvariantCulture);
        Debug.Assert(ok, "line buffer sized for the longest row");
        return n + written;
    }

    private int Number(int n, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "MOTChallenge rows need finite numbers");
        }
        bool ok = value.TryFormat(_line.AsSpan(n), out int written, default, CultureInfo.InvariantCulture);
        Debug.Assert(ok, "line buffer sized for the longest row");
        return n + written;
    }
}
