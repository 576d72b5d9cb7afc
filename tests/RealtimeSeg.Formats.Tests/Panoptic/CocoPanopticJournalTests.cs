using RealtimeSeg.Core;
using RealtimeSeg.Formats.Panoptic;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Formats.Tests.Panoptic;

/// <summary>The crash-safe panoptic dump: complete PNGs, a journal of complete frames, the JSON at the end.</summary>
public sealed class CocoPanopticJournalTests
{
    private static readonly CategoryTable Table = new([
        new Category(1, "car", IsThing: true, 0xFF0000),
        new Category(10, "road", IsThing: false, 0x808080),
    ]);

    [Fact]
    public void Add_WithJournal_EveryFrameIsListedAndReadRebuildsTheDataset_FinishWritesTheJsonAndDeletesIt()
    {
        using var dir = new TempFolder();
        string json = Path.Combine(dir.Path, "panoptic.json");
        using var writer = new CocoPanopticWriter(json, Table, journal: true);
        writer.Add(Frame(7), new CocoImage(1, "000001.png", 4, 2));
        writer.Add(Frame(8), new CocoImage(2, "000002.png", 4, 2));

        // As a kill leaves it: no JSON, the journal, complete PNGs and no temporary file.
        Assert.False(File.Exists(json));
        string journal = CocoPanopticJournal.PathFor(json);
        Assert.Equal(Path.Combine(dir.Path, "panoptic.jsonl"), journal);
        (CocoPanopticDataset read, bool cutShort) = CocoPanopticJournal.Read(journal);
        Assert.False(cutShort);
        Assert.Equal([1L, 2L], read.Annotations.Select(a => a.ImageId.Number));
        Assert.Equal(writer.Dataset.Images, read.Images);
        Assert.Equal(writer.Dataset.Annotations[1].Segments, read.Annotations[1].Segments);
        Assert.Equal(Table.Categories.Select(c => c.Name), read.Categories.Select(c => c.Name));
        Assert.Equal(7, read.Annotations[0].Segments.Single(s => s.CategoryId == 1).TrackId);
        Assert.Empty(Directory.GetFiles(writer.PngDirectory, "*.tmp"));
        Assert.Equal(2, Directory.GetFiles(writer.PngDirectory, "*.png").Length);

        writer.Finish();
        Assert.False(File.Exists(journal));
        Assert.Equal(2, CocoPanopticDataset.Load(json).Annotations.Count);
    }

    [Fact]
    public void Read_JournalEndingInTheMiddleOfALine_LeavesItOutAndSaysCutShort()
    {
        using var dir = new TempFolder();
        string json = Path.Combine(dir.Path, "panoptic.json");
        using (var writer = new CocoPanopticWriter(json, Table, journal: true))
        {
            writer.Add(Frame(1), new CocoImage(1, "000001.png", 4, 2));
            writer.Add(Frame(2), new CocoImage(2, "000002.png", 4, 2));
        }
        string journal = CocoPanopticJournal.PathFor(json);
        byte[] bytes = File.ReadAllBytes(journal);
        File.WriteAllBytes(journal, bytes[..^25]);

        (CocoPanopticDataset read, bool cutShort) = CocoPanopticJournal.Read(journal);

        Assert.True(cutShort);
        Assert.Equal(1L, Assert.Single(read.Annotations).ImageId.Number);
    }

    [Fact]
    public void Read_MalformedCompleteLine_ErrorNamesTheFileAndLine()
    {
        using var dir = new TempFolder();
        string journal = dir.Write("panoptic.jsonl", "{\"images\":[],\"annotations\":[],\"categories\":[]}\n{\"images\":[],\"annotations\":[{]}\n");

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => CocoPanopticJournal.Read(journal));

        Assert.Contains("panoptic.jsonl line 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WithJournal_DeletesAJsonAnEarlierRunLeft()
    {
        using var dir = new TempFolder();
        string json = dir.Write("panoptic.json", "{\"annotations\":[]}");

        using var writer = new CocoPanopticWriter(json, Table, journal: true);

        Assert.False(File.Exists(json));
    }

    /// <summary>A 4×2 map: a car (segment 1, with a track) on the left half, road (segment 2) on the right.</summary>
    private static PanopticFrame Frame(int track)
    {
        var frame = new PanopticFrame();
        frame.Reset(4, 2);
        ushort[] ids = [1, 1, 2, 2, 1, 1, 2, 2];
        for (int i = 0; i < ids.Length; i++)
        {
            frame.Map[i] = ids[i];
        }
        ref PanopticSegment car = ref frame.AddSegment();
        car.Id = 1;
        car.CategoryId = 1;
        car.IsThing = true;
        car.TrackId = track;
        ref PanopticSegment road = ref frame.AddSegment();
        road.Id = 2;
        road.CategoryId = 10;
        return frame;
    }
}
