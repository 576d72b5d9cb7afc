using RealtimeSeg.Core;

namespace RealtimeSeg.Formats.Panoptic;

/// <summary>
/// A COCO panoptic JSON file (<c>images</c>, <c>annotations</c>, <c>categories</c>) as panopticapi reads and writes it.
/// The PNGs live in a separate folder (by panopticapi's convention, the JSON path without <c>.json</c>).
/// </summary>
public sealed class CocoPanopticDataset
{
    /// <summary>COCO's free-form <c>info</c> block (description, version, source…); written first, and only when not empty.</summary>
    public Dictionary<string, string> Info { get; } = new(StringComparer.Ordinal);

    public List<CocoImage> Images { get; } = [];

    public List<CocoPanopticAnnotation> Annotations { get; } = [];

    /// <summary>The categories; prediction files often have none (the ground truth's are used).</summary>
    public List<CocoCategory> Categories { get; } = [];

    /// <summary>panopticapi's default: the segmentation folder is the JSON path without its <c>.json</c> extension.</summary>
    public static string DefaultPngDirectory(string jsonPath)
    {
        ArgumentNullException.ThrowIfNull(jsonPath);
        return jsonPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? jsonPath[..^5] : jsonPath;
    }

    /// <summary>Reads a COCO panoptic JSON file.</summary>
    /// <exception cref="InvalidDataException">Malformed JSON or a missing or mistyped field; the message names the file and the field's path.</exception>
    public static CocoPanopticDataset Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return CocoPanopticJson.Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses COCO panoptic JSON (UTF-8); <paramref name="sourceName"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">Malformed JSON or a missing or mistyped field.</exception>
    public static CocoPanopticDataset Parse(ReadOnlySpan<byte> utf8Json, string sourceName) => CocoPanopticJson.Parse(utf8Json, sourceName);

    /// <summary>An empty dataset whose categories are <paramref name="table"/>'s (ids, names, thing/stuff, colours).</summary>
    public static CocoPanopticDataset FromCategoryTable(CategoryTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var dataset = new CocoPanopticDataset();
        foreach (Category c in table.Categories)
        {
            dataset.Categories.Add(new CocoCategory(c.Id, c.Name, c.IsThing, c.Color));
        }
        return dataset;
    }

    /// <summary>Writes the dataset as JSON to <paramref name="path"/> (through a temporary file, so a reader never sees half of it).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string temp = full + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
        {
            Write(file);
        }
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>Writes the dataset as UTF-8 JSON to <paramref name="output"/>.</summary>
    public void Write(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        CocoPanopticJson.Write(this, output);
    }

    /// <summary>The category with <paramref name="id"/>, or null.</summary>
    public CocoCategory? FindCategory(int id)
    {
        foreach (CocoCategory c in Categories)
        {
            if (c.Id == id)
            {
                return c;
            }
        }
        return null;
    }
}
