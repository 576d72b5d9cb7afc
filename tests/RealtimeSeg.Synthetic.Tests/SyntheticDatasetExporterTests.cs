using System.Globalization;
using System.Text.Json;
using OpenCvSharp;
using RealtimeSeg.Synthetic;
using static RealtimeSeg.Synthetic.Tests.SyntheticRendering;

namespace RealtimeSeg.Synthetic.Tests;

public sealed class SyntheticDatasetExporterTests : IClassFixture<ExportedSequence>
{
    private readonly ExportedSequence _sequence;

    public SyntheticDatasetExporterTests(ExportedSequence sequence) => _sequence = sequence;

    private SyntheticDataset Dataset => _sequence.Dataset;

    [Fact]
    public void Export_WritesTheMotChallengeAndCocoPanopticLayout()
    {
        string dir = Path.Combine(_sequence.Root, "synth-drive-seed7");

        Assert.Equal(dir, Dataset.SequenceDirectory);
        Assert.Equal("synth-drive-seed7", Dataset.Name);
        Assert.True(File.Exists(Path.Combine(dir, "gt", "gt.txt")));
        Assert.True(File.Exists(Path.Combine(dir, "seqinfo.ini")));
        Assert.True(File.Exists(Path.Combine(dir, "panoptic.json")));
        string[] expectedNames = Enumerable.Range(1, ExportedSequence.Frames).Select(i => $"{i:D6}.png").ToArray();
        Assert.Equal(expectedNames, Directory.GetFiles(Path.Combine(dir, "img1")).Select(Path.GetFileName).Order());
        Assert.Equal(expectedNames, Directory.GetFiles(Path.Combine(dir, "panoptic")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Export_SeqInfo_DescribesTheSequence()
    {
        string[] lines = File.ReadAllLines(Dataset.SeqInfoPath);

        Assert.Equal("[Sequence]", lines[0]);
        var values = lines.Skip(1).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal("synth-drive-seed7", values["name"]);
        Assert.Equal("img1", values["imDir"]);
        Assert.Equal("30", values["frameRate"]);
        Assert.Equal(ExportedSequence.Frames.ToString(CultureInfo.InvariantCulture), values["seqLength"]);
        Assert.Equal("320", values["imWidth"]);
        Assert.Equal("180", values["imHeight"]);
        Assert.Equal(".png", values["imExt"]);
    }

    [Fact]
    public void Export_GtTxtRows_AreExactlyTheVisibleThingsOfEachFrame()
    {
        var rows = File.ReadAllLines(Dataset.MotGroundTruthPath).Select(l => l.Split(',')).ToList();
        using var scene = new SyntheticDriveScene(_sequence.Options);
        SyntheticGroundTruth truth = scene.CreateGroundTruth();

        int checkedRows = 0;
        for (int frame = 1; frame <= ExportedSequence.Frames; frame++)
        {
            scene.RenderGroundTruth(frame - 1, truth);
            var expected = new List<string>();
            foreach (SyntheticSegment s in truth.Segments)
            {
                if (s.IsThing)
                {
                    expected.Add(string.Join(',', frame, s.ObjectId, s.X, s.Y, s.Width, s.Height, 1, SyntheticCategories.MotClassOf(s.Kind)));
                }
            }
            var actual = rows.Where(r => r[0] == frame.ToString(CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(expected.Order(), actual.Select(r => string.Join(',', r.Take(8))).Order());
            var ids = actual.Select(r => int.Parse(r[1], CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(ids.Order(), ids);
            foreach (string[] r in actual)
            {
                Assert.True(truth.TryGetObject(int.Parse(r[1], CultureInfo.InvariantCulture), out SyntheticSegment s));
                Assert.Equal(s.Visibility, double.Parse(r[8], CultureInfo.InvariantCulture), tolerance: 0.00005 + 1e-12);
            }
            checkedRows += actual.Count;
        }
        Assert.Equal(rows.Count, checkedRows);
        Assert.True(checkedRows > ExportedSequence.Frames * 5, $"only {checkedRows} rows in {ExportedSequence.Frames} busy frames");
    }

    [Fact]
    public void Export_PanopticPng_DecodesToTheGroundTruthMap()
    {
        using var scene = new SyntheticDriveScene(_sequence.Options);
        SyntheticGroundTruth truth = scene.CreateGroundTruth();

        foreach (int frame in (int[])[1, 6, ExportedSequence.Frames])
        {
            scene.RenderGroundTruth(frame - 1, truth);
            using Mat png = Cv2.ImRead(Path.Combine(Dataset.PanopticDirectory, SyntheticDatasetExporter.FileName(frame)), ImreadModes.Color);

            Assert.Equal((truth.Width, truth.Height), (png.Width, png.Height));
            Assert.True(png.IsContinuous());
            png.GetArray(out Vec3b[] pixels);
            ReadOnlySpan<ushort> map = truth.Map;
            for (int i = 0; i < pixels.Length; i++)
            {
                // OpenCV decodes to BGR: R is Item2.
                int id = pixels[i].Item2 + (256 * pixels[i].Item1) + (65536 * pixels[i].Item0);
                Assert.Equal(map[i], id);
            }
        }
    }

    [Fact]
    public void Export_ImagePng_DecodesToTheRenderedFrame()
    {
        using var scene = new SyntheticDriveScene(_sequence.Options);
        byte[] expected = Image(scene, 4);

        using Mat png = Cv2.ImRead(Path.Combine(Dataset.ImageDirectory, SyntheticDatasetExporter.FileName(5)), ImreadModes.Color);
        Assert.True(png.IsContinuous());
        png.GetArray(out Vec3b[] pixels);

        byte[] actual = new byte[pixels.Length * 3];
        for (int i = 0; i < pixels.Length; i++)
        {
            (actual[i * 3], actual[(i * 3) + 1], actual[(i * 3) + 2]) = (pixels[i].Item0, pixels[i].Item1, pixels[i].Item2);
        }
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Export_PanopticJson_ListsImagesSegmentsAndCategoriesAsTheTruth()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(Dataset.PanopticJsonPath));
        JsonElement root = doc.RootElement;
        using var scene = new SyntheticDriveScene(_sequence.Options);
        SyntheticGroundTruth truth = scene.CreateGroundTruth();

        JsonElement[] images = root.GetProperty("images").EnumerateArray().ToArray();
        JsonElement[] annotations = root.GetProperty("annotations").EnumerateArray().ToArray();
        Assert.Equal(ExportedSequence.Frames, images.Length);
        Assert.Equal(ExportedSequence.Frames, annotations.Length);
        for (int frame = 1; frame <= ExportedSequence.Frames; frame++)
        {
            JsonElement image = images[frame - 1];
            JsonElement annotation = annotations[frame - 1];
            Assert.Equal(frame, image.GetProperty("id").GetInt32());
            Assert.Equal(SyntheticDatasetExporter.FileName(frame), image.GetProperty("file_name").GetString());
            Assert.Equal((320, 180), (image.GetProperty("width").GetInt32(), image.GetProperty("height").GetInt32()));
            Assert.Equal(frame, annotation.GetProperty("image_id").GetInt32());
            Assert.Equal(SyntheticDatasetExporter.FileName(frame), annotation.GetProperty("file_name").GetString());

            scene.RenderGroundTruth(frame - 1, truth);
            JsonElement[] segments = annotation.GetProperty("segments_info").EnumerateArray().ToArray();
            Assert.Equal(truth.Segments.Length, segments.Length);
            foreach (JsonElement s in segments)
            {
                Assert.True(truth.TryGetSegment(s.GetProperty("id").GetInt32(), out SyntheticSegment expected));
                Assert.Equal(expected.CategoryId, s.GetProperty("category_id").GetInt32());
                Assert.Equal(0, s.GetProperty("iscrowd").GetInt32());
                Assert.Equal([expected.X, expected.Y, expected.Width, expected.Height], s.GetProperty("bbox").EnumerateArray().Select(v => v.GetInt32()));
                Assert.Equal(expected.Area, s.GetProperty("area").GetInt32());
                Assert.Equal(expected.ObjectId, s.GetProperty("track_id").GetInt32());
            }
        }

        var categories = root.GetProperty("categories").EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetInt32(), c => (Name: c.GetProperty("name").GetString(), IsThing: c.GetProperty("isthing").GetInt32()));
        Assert.Equal(SyntheticCategories.Table.Categories.Count, categories.Count);
        foreach (RealtimeSeg.Core.Category c in SyntheticCategories.Table.Categories)
        {
            Assert.Equal((c.Name, c.IsThing ? 1 : 0), categories[c.Id]);
        }
    }

    [Fact]
    public void Export_SameSequenceAgain_ReplacesTheFilesWithIdenticalOnes()
    {
        string root = Path.Combine(Path.GetTempPath(), "realtimeseg-synth-" + Guid.NewGuid().ToString("N"));
        try
        {
            SyntheticDataset longer = SyntheticDatasetExporter.Export(_sequence.Options, ExportedSequence.Frames + 3, root);
            SyntheticDataset again = SyntheticDatasetExporter.Export(_sequence.Options, ExportedSequence.Frames, root);

            Assert.Equal(ExportedSequence.Frames, Directory.GetFiles(again.ImageDirectory).Length);
            Assert.Equal(File.ReadAllBytes(Dataset.MotGroundTruthPath), File.ReadAllBytes(again.MotGroundTruthPath));
            Assert.Equal(File.ReadAllBytes(Dataset.PanopticJsonPath), File.ReadAllBytes(again.PanopticJsonPath));
            Assert.Equal(longer.SequenceDirectory, again.SequenceDirectory);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Export_BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticDatasetExporter.Export(1, 0, 64, 64, _sequence.Root));
        Assert.Throws<ArgumentException>(() => SyntheticDatasetExporter.Export(1, 1, 64, 64, " "));
        Assert.Throws<RealtimeSeg.Core.ConfigurationException>(() => SyntheticDatasetExporter.Export(1, 1, 8, 64, _sequence.Root));
    }
}
