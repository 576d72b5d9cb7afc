using RealtimeSeg.Core;
using RealtimeSeg.Formats.Panoptic;

namespace RealtimeSeg.Formats.Tests.Panoptic;

public sealed class CocoPanopticWriterTests : IDisposable
{
    private static readonly CategoryTable Table = new([
        new Category(1, "car", IsThing: true, 0xFF0000),
        new Category(2, "person", IsThing: true, 0x00FF00),
        new Category(10, "road", IsThing: false, 0x808080),
    ]);

    private readonly string _dir = Directory.CreateTempSubdirectory("evalpan-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Add_MapAtImageResolution_WritesMapIdsAndPixelAreasBoxesAndTracks()
    {
        PanopticFrame frame = Frame(["1122", "1.22", "3322"], (1, 1, 9), (2, 10, 0), (3, 2, 0), (4, 1, 5));
        var writer = new CocoPanopticWriter(Path.Combine(_dir, "pred.json"), Table);

        CocoPanopticAnnotation a = writer.Add(frame, new CocoImage(3, "000003.jpg", 4, 3));

        Assert.Equal("000003.png", a.FileName);
        IdMap png = PanopticIdPng.Read(Path.Combine(_dir, "pred", "000003.png"));
        Assert.Equal([1, 1, 2, 2, 1, 0, 2, 2, 3, 3, 2, 2], png.Ids.ToArray());
        // Segment 4 has no pixel: left out, as panopticapi requires every listed segment to be in the PNG.
        Assert.Equal([1, 2, 3], a.Segments.Select(s => s.Id));
        Assert.Equal(Seg(1, 1, 0, 0, 2, 2, 3, 9), a.Segments[0]);
        Assert.Equal(Seg(2, 10, 2, 0, 2, 3, 6, null), a.Segments[1]);
        Assert.Equal(Seg(3, 2, 0, 2, 2, 1, 2, null), a.Segments[2]);
    }

    [Fact]
    public void Add_QuarterResolutionMap_UpsamplesByComposerCells()
    {
        // A 10x5 image divided by 4 gives a 3x2 map (ceil): map pixel u covers image x in [4u, 4u + 4). The height alone
        // would also fit a divisor of 3 (⌈5/3⌉ = 2); both axes together only 4.
        PanopticFrame frame = Frame(["123", "456"], (1, 1, 1), (2, 1, 2), (3, 10, 0), (4, 2, 3), (5, 2, 4), (6, 10, 0));
        var writer = new CocoPanopticWriter(Path.Combine(_dir, "d.json"), Table);

        CocoPanopticAnnotation a = writer.Add(frame, new CocoImage(1, "a.png", 10, 5));
        IdMap png = PanopticIdPng.Read(Path.Combine(_dir, "d", "a.png"));

        for (int y = 0; y < 5; y++)
        {
            for (int x = 0; x < 10; x++)
            {
                Assert.Equal(frame.Map[(y / 4) * 3 + x / 4], png[x, y]);
            }
        }
        // Segment 3 (top right): x 8…9, y 0…3 → 8 px, bbox [8, 0, 2, 4]. Segment 6: x 8…9, y 4 → 2 px.
        Assert.Equal(Seg(3, 10, 8, 0, 2, 4, 8, null), a.Segments[2]);
        Assert.Equal(Seg(6, 10, 8, 4, 2, 1, 2, null), a.Segments[5]);
    }

    [Theory]
    [InlineData(10, 5, new[] { 0, 0, 1, 1, 2, 2, 3, 3, 4, 4 })]
    [InlineData(10, 6, new[] { 0, 0, 1, 2, 2, 3, 3, 4, 5, 5 })]
    [InlineData(3, 6, new[] { 1, 3, 5 })]
    [InlineData(6, 6, new[] { 0, 1, 2, 3, 4, 5 })]
    public void SourceIndex_BlockOrCentreSampling_PicksMapPixel(int output, int map, int[] expected)
    {
        // 10 → 5: cells of 2. 10 → 6: no divisor d gives ⌈10/d⌉ = 6, so centres: ⌊(x + ½)·6/10⌋.
        // 3 → 6 shrinks: ⌊(x + ½)·2⌋. Same size: identity.
        int divisor = PanopticFrameRaster.BlockDivisor(output, output, map, map);
        int[] actual = [.. Enumerable.Range(0, output).Select(x => PanopticFrameRaster.SourceIndex(x, output, map, divisor))];

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Add_MapIdWithoutSegment_ThrowsAndWriterStaysUsable()
    {
        var writer = new CocoPanopticWriter(Path.Combine(_dir, "d.json"), Table);
        PanopticFrame bad = Frame(["12"], (1, 1, 1));
        PanopticFrame good = Frame(["12"], (1, 1, 1), (2, 10, 0));

        var e = Assert.Throws<ArgumentException>(() => writer.Add(bad, new CocoImage(1, "a.png", 2, 1)));
        CocoPanopticAnnotation a = writer.Add(good, new CocoImage(1, "a.png", 2, 1));

        Assert.Contains("segment id 2", e.Message, StringComparison.Ordinal);
        Assert.Equal(2, a.Segments.Count);
        Assert.Single(writer.Dataset.Annotations);
    }

    [Fact]
    public void Add_CategoryNotInTable_Throws()
    {
        var writer = new CocoPanopticWriter(Path.Combine(_dir, "d.json"), Table);

        var e = Assert.Throws<ArgumentException>(() => writer.Add(Frame(["1"], (1, 42, 0)), new CocoImage(1, "a.png", 1, 1)));

        Assert.Contains("category 42", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_SameImageIdTwice_Throws()
    {
        var writer = new CocoPanopticWriter(Path.Combine(_dir, "d.json"), Table);
        writer.Add(Frame(["1"], (1, 10, 0)), new CocoImage(1, "a.png", 1, 1));

        Assert.Throws<ArgumentException>(() => writer.Add(Frame(["1"], (1, 10, 0)), new CocoImage(1, "b.png", 1, 1)));
    }

    /// <summary>A frame whose map is drawn as text ('.' void, '1'…'9' ids), with segments (id, category, track).</summary>
    private static PanopticFrame Frame(string[] rows, params (int Id, int Category, int Track)[] segments)
    {
        var frame = new PanopticFrame();
        frame.Reset(rows[0].Length, rows.Length);
        for (int y = 0; y < rows.Length; y++)
        {
            for (int x = 0; x < rows[y].Length; x++)
            {
                frame.Map[y * rows[0].Length + x] = (ushort)(rows[y][x] == '.' ? 0 : rows[y][x] - '0');
            }
        }
        foreach ((int id, int category, int track) in segments)
        {
            ref PanopticSegment s = ref frame.AddSegment();
            s.Id = id;
            s.CategoryId = category;
            s.IsThing = Table.TryGet(category, out Category? c) && c.IsThing;
            s.TrackId = track;
        }
        return frame;
    }

    private static CocoSegmentInfo Seg(int id, int category, int x, int y, int w, int h, long area, int? track) => new()
    {
        Id = id,
        CategoryId = category,
        BboxX = x,
        BboxY = y,
        BboxWidth = w,
        BboxHeight = h,
        Area = area,
        TrackId = track,
    };
}
