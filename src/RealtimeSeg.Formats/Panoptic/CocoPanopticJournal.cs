using System.Buffers;
using System.Text.Json;

namespace RealtimeSeg.Formats.Panoptic;

/// <summary>
/// The crash-safe index of a COCO panoptic dump being written (<c>--dump-panoptic</c>): <c>panoptic.jsonl</c> beside
/// <c>panoptic.json</c>, JSON lines, each one a small COCO panoptic object — the first with the categories, every later
/// one with one image and its annotation, appended (in one write) only after that frame's PNG is complete on disk. A run
/// killed at any moment thus leaves an index of complete frames, which <see cref="Read"/> turns back into the dataset
/// <c>panoptic.json</c> would have held; at a clean end the writer saves <c>panoptic.json</c> and deletes the journal.
/// </summary>
public sealed class CocoPanopticJournal : IDisposable
{
    /// <summary>What frame lines carry besides their image and annotation: nothing (no info, no categories).</summary>
    private static readonly CocoPanopticDataset NoHeader = new();

    private readonly FileStream _file;
    private readonly CocoPanopticDataset _header;
    private readonly ArrayBufferWriter<byte> _line = new(4096);
    private readonly Utf8JsonWriter _json;
    private readonly CocoImage[] _image = new CocoImage[1];
    private readonly CocoPanopticAnnotation[] _annotation = new CocoPanopticAnnotation[1];

    private CocoPanopticJournal(FileStream file, CocoPanopticDataset header)
    {
        _file = file;
        _header = header;
        _json = new Utf8JsonWriter(_line);
    }

    public string Path => _file.Name;

    /// <summary>The journal that goes with a COCO panoptic JSON path: <c>x/panoptic.json</c> → <c>x/panoptic.jsonl</c>.</summary>
    public static string PathFor(string jsonPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(jsonPath);
        return System.IO.Path.ChangeExtension(System.IO.Path.GetFullPath(jsonPath), ".jsonl");
    }

    /// <summary>Creates (or truncates) a journal whose first line holds <paramref name="header"/>'s info and categories.</summary>
    public static CocoPanopticJournal Create(string path, CocoPanopticDataset header)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(header);
        // bufferSize 0: each line goes to the operating system in the one write that Append makes.
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        var journal = new CocoPanopticJournal(file, header);
        journal.WriteLine([], [], header.Categories);
        return journal;
    }

    /// <summary>Appends one frame (its PNG must already be complete).</summary>
    public void Append(CocoImage image, CocoPanopticAnnotation annotation)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(annotation);
        _image[0] = image;
        _annotation[0] = annotation;
        WriteLine(_image, _annotation, []);
    }

    public void Dispose()
    {
        _json.Dispose();
        _file.Dispose();
    }

    private void WriteLine(ReadOnlySpan<CocoImage> images, ReadOnlySpan<CocoPanopticAnnotation> annotations, List<CocoCategory> categories)
    {
        _line.ResetWrittenCount();
        _json.Reset();
        CocoPanopticJson.Write(_json, images.IsEmpty ? _header : NoHeader, images, annotations, categories);
        _json.Flush();
        _line.GetSpan(1)[0] = (byte)'\n';
        _line.Advance(1);
        _file.Write(_line.WrittenSpan);
    }

    /// <summary>
    /// Reads a journal back into the dataset its complete lines describe. A last line without its end (the writer was
    /// killed in the middle of it) is left out and reported as <c>CutShort</c>; a complete line that is not valid is an error.
    /// </summary>
    /// <exception cref="InvalidDataException">A complete line is malformed; the message names the file and line.</exception>
    public static (CocoPanopticDataset Dataset, bool CutShort) Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = File.ReadAllBytes(path);
        var dataset = new CocoPanopticDataset();
        ReadOnlySpan<byte> rest = bytes;
        int lineNumber = 0;
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOf((byte)'\n');
            if (end < 0)
            {
                return (dataset, true);
            }
            ReadOnlySpan<byte> line = rest[..end];
            rest = rest[(end + 1)..];
            lineNumber++;
            if (line.Trim((byte)' ').IsEmpty)
            {
                continue;
            }
            CocoPanopticDataset part = CocoPanopticJson.Parse(line, $"{path} line {lineNumber}");
            foreach ((string key, string value) in part.Info)
            {
                dataset.Info[key] = value;
            }
            dataset.Categories.AddRange(part.Categories);
            dataset.Images.AddRange(part.Images);
            dataset.Annotations.AddRange(part.Annotations);
        }
        return (dataset, false);
    }
}
