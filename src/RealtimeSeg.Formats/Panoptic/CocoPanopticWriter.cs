using System.Diagnostics;
using System.IO.Compression;
using RealtimeSeg.Core;

namespace RealtimeSeg.Formats.Panoptic;

/// <summary>
/// Writes panoptic frames as a COCO panoptic dataset — the format of <c>--dump-panoptic</c> and <c>synth export</c>,
/// readable by panopticapi and by <c>realtimeseg eval panoptic</c> (PQ and STQ):
/// <list type="bullet">
/// <item><see cref="Add"/> writes the frame's map as an RGB id PNG (<c>R + 256·G + 256²·B</c>) at the image's
/// resolution (<see cref="PanopticFrameRaster"/>) and records the image and its annotation;</item>
/// <item>segment ids are the frame's; area and bbox are counted on the PNG as written (segments with no pixel there are
/// left out, as panopticapi requires); things with a track carry it as <c>track_id</c> (this project's extension,
/// the identity STQ needs);</item>
/// <item><see cref="Save"/> writes the JSON with the category table's categories.</item>
/// </list>
/// With a journal (<c>--dump-panoptic</c>), the writer is crash-safe: each PNG appears complete (written under a
/// temporary name, then renamed), then the frame is appended to a <see cref="CocoPanopticJournal"/> beside the JSON, so a
/// killed run leaves an index of every complete frame; <see cref="Finish"/> saves the JSON and deletes the journal.
/// Buffers are reused across frames. Not thread-safe.
/// </summary>
public sealed class CocoPanopticWriter : IDisposable
{
    private readonly CategoryTable _categories;
    private readonly CompressionLevel _compression;
    private readonly HashSet<CocoImageId> _imageIds = [];
    private readonly IdMap _ids = new(0, 0);
    // Per frame segment id (1…65535): 1 + its index in the frame's segment list, 0 when not a segment.
    private readonly int[] _slotOfId = new int[ushort.MaxValue + 1];
    private long[] _area = [];
    private int[] _minX = [];
    private int[] _minY = [];
    private int[] _maxX = [];
    private int[] _maxY = [];
    private CocoPanopticJournal? _journal;

    /// <param name="jsonPath">Where <see cref="Save"/> writes the JSON.</param>
    /// <param name="categories">The pipeline's categories; every segment's category must be one of them.</param>
    /// <param name="pngDirectory">Folder for the PNGs; null for panopticapi's convention, the JSON path without <c>.json</c>.</param>
    /// <param name="compression">zlib level of the PNGs.</param>
    /// <param name="journal">Append every frame to <see cref="CocoPanopticJournal.PathFor"/>(<paramref name="jsonPath"/>) as
    /// it is written, and delete a JSON left there by an earlier run (it would otherwise pass for this run's index).</param>
    public CocoPanopticWriter(string jsonPath, CategoryTable categories, string? pngDirectory = null, CompressionLevel compression = CompressionLevel.Fastest,
        bool journal = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(jsonPath);
        ArgumentNullException.ThrowIfNull(categories);
        JsonPath = Path.GetFullPath(jsonPath);
        PngDirectory = Path.GetFullPath(pngDirectory ?? CocoPanopticDataset.DefaultPngDirectory(jsonPath));
        _categories = categories;
        _compression = compression;
        Dataset = CocoPanopticDataset.FromCategoryTable(categories);
        Directory.CreateDirectory(PngDirectory);
        string? jsonDirectory = Path.GetDirectoryName(JsonPath);
        if (jsonDirectory is not null)
        {
            Directory.CreateDirectory(jsonDirectory);
        }
        if (journal)
        {
            File.Delete(JsonPath);
            _journal = CocoPanopticJournal.Create(CocoPanopticJournal.PathFor(JsonPath), Dataset);
        }
    }

    public string JsonPath { get; }

    public string PngDirectory { get; }

    /// <summary>What has been added so far (and what <see cref="Save"/> writes).</summary>
    public CocoPanopticDataset Dataset { get; }

    /// <summary>
    /// Writes <paramref name="frame"/>'s PNG (named like <paramref name="image"/>'s file, with a <c>.png</c> extension)
    /// at <paramref name="image"/>'s width and height, and records the image and annotation.
    /// </summary>
    /// <returns>The annotation added to <see cref="Dataset"/>.</returns>
    /// <exception cref="ArgumentException">The image id was used before, a segment id repeats, the map holds an id no
    /// segment lists, or a segment's category is not in the category table.</exception>
    public CocoPanopticAnnotation Add(PanopticFrame frame, CocoImage image)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(image.FileName);
        if (image.Width <= 0 || image.Height <= 0)
        {
            throw new ArgumentException($"image {image.Id} has size {image.Width}x{image.Height}", nameof(image));
        }
        if (_imageIds.Contains(image.Id))
        {
            throw new ArgumentException($"image id {image.Id} was added before", nameof(image));
        }
        ReadOnlySpan<PanopticSegment> segments = frame.Segments;
        IndexSegments(segments, image);
        try
        {
            PanopticFrameRaster.Rasterize(frame, image.Width, image.Height, _ids);
            Measure(segments.Length, image);
            var annotation = new CocoPanopticAnnotation(image.Id, Path.ChangeExtension(image.FileName, ".png"));
            for (int s = 0; s < segments.Length; s++)
            {
                if (_area[s] == 0)
                {
                    continue;
                }
                ref readonly PanopticSegment seg = ref segments[s];
                annotation.Segments.Add(new CocoSegmentInfo
                {
                    Id = seg.Id,
                    CategoryId = seg.CategoryId,
                    BboxX = _minX[s],
                    BboxY = _minY[s],
                    BboxWidth = _maxX[s] - _minX[s] + 1,
                    BboxHeight = _maxY[s] - _minY[s] + 1,
                    Area = _area[s],
                    TrackId = seg.IsThing && seg.TrackId > 0 ? seg.TrackId : null,
                });
            }
            string pngPath = Path.Combine(PngDirectory, annotation.FileName);
            string? folder = Path.GetDirectoryName(pngPath);
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }
            PanopticIdPng.Write(pngPath, _ids, _compression);
            _journal?.Append(image, annotation);
            _imageIds.Add(image.Id);
            Dataset.Images.Add(image);
            Dataset.Annotations.Add(annotation);
            return annotation;
        }
        finally
        {
            foreach (ref readonly PanopticSegment seg in segments)
            {
                _slotOfId[seg.Id] = 0;
            }
            AssertInvariants();
        }
    }

    /// <summary>Writes the JSON (images, annotations, categories) to <see cref="JsonPath"/>; may be called again after more frames.</summary>
    public void Save() => Dataset.Save(JsonPath);

    /// <summary>Saves the JSON and, with a journal, closes and deletes it: the dump is complete.</summary>
    public void Finish()
    {
        Save();
        if (_journal is { } journal)
        {
            _journal = null;
            journal.Dispose();
            File.Delete(journal.Path);
        }
    }

    /// <summary>Closes the journal, if any, leaving it (and no JSON) behind: the dump stays marked as cut short.</summary>
    public void Dispose()
    {
        _journal?.Dispose();
        _journal = null;
    }

    [Conditional("DEBUG")]
    public void AssertInvariants()
    {
        Debug.Assert(Dataset.Images.Count == Dataset.Annotations.Count && _imageIds.Count == Dataset.Images.Count);
        Debug.Assert(_slotOfId.AsSpan().IndexOfAnyExcept(0) < 0, "the id lookup is cleared after every frame");
    }

    private void IndexSegments(ReadOnlySpan<PanopticSegment> segments, CocoImage image)
    {
        int n = segments.Length;
        if (_area.Length < n)
        {
            _area = new long[n];
            _minX = new int[n];
            _minY = new int[n];
            _maxX = new int[n];
            _maxY = new int[n];
        }
        for (int s = 0; s < n; s++)
        {
            ref readonly PanopticSegment seg = ref segments[s];
            string? problem = null;
            if (seg.Id is <= 0 or > ushort.MaxValue)
            {
                problem = $"segment id {seg.Id} is outside 1…65535";
            }
            else if (_slotOfId[seg.Id] != 0)
            {
                problem = $"segment id {seg.Id} appears twice";
            }
            else if (!_categories.TryGet(seg.CategoryId, out _))
            {
                problem = $"segment {seg.Id} has category {seg.CategoryId}, which is not in the category table";
            }
            if (problem is not null)
            {
                for (int k = 0; k < s; k++)
                {
                    _slotOfId[segments[k].Id] = 0;
                }
                throw new ArgumentException($"image {image.Id}: {problem}", nameof(image));
            }
            _slotOfId[seg.Id] = s + 1;
            _area[s] = 0;
            _minX[s] = _minY[s] = int.MaxValue;
            _maxX[s] = _maxY[s] = -1;
        }
    }

    private void Measure(int segmentCount, CocoImage image)
    {
        int width = _ids.Width;
        ReadOnlySpan<int> ids = _ids.Ids;
        for (int y = 0; y < _ids.Height; y++)
        {
            ReadOnlySpan<int> row = ids.Slice(y * width, width);
            int x = 0;
            while (x < width)
            {
                int id = row[x];
                int start = x;
                while (x < width && row[x] == id)
                {
                    x++;
                }
                if (id == 0)
                {
                    continue;
                }
                int slot = _slotOfId[id] - 1;
                if (slot < 0)
                {
                    throw new ArgumentException($"image {image.Id}: the map holds segment id {id}, which no segment lists", nameof(image));
                }
                Debug.Assert(slot < segmentCount);
                _area[slot] += x - start;
                _minX[slot] = Math.Min(_minX[slot], start);
                _maxX[slot] = Math.Max(_maxX[slot], x - 1);
                _minY[slot] = Math.Min(_minY[slot], y);
                _maxY[slot] = y;
            }
        }
    }
}
