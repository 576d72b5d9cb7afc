using System.Text.Json;
using RealtimeSeg.Evaluation.Panoptic;
using RealtimeSeg.Formats.Panoptic;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Evaluation.Tests.Panoptic;

public sealed class PanopticEvaluatorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("evalpan-pq-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Sample(string relative) => TestAssets.Path(Path.Combine("panoptic/coco-sample", relative));

    [AssetFact]
    public void Evaluate_CocoSampleAgainstItself_Gives100Over4ThingsAnd4Stuff()
    {
        string json = Sample("panoptic_examples.json");

        // A null folder means panopticapi's default: the JSON path without ".json".
        PqResult r = PanopticEvaluator.Evaluate(json, null, json, Sample("panoptic_examples"));

        Assert.Equal(new PqSummary(1, 1, 1, 8), r.All);
        Assert.Equal(new PqSummary(1, 1, 1, 4), r.Things);
        Assert.Equal(new PqSummary(1, 1, 1, 4), r.Stuff);
        Assert.Equal(2, r.ImageCount);
        // 26 persons, crowds excluded (one per image).
        Assert.Equal(26, r.Categories.Single(c => c.CategoryId == 1).Tp);
        Assert.Equal("All       | 100.0  100.0  100.0     8", r.ToTable().Split('\n')[2]);
    }

    [AssetFact]
    public void Evaluate_CocoSampleShiftedAndRelabelled_ReproducesPanopticapiFigures()
    {
        // The prediction is the ground truth shifted right by 8 pixels (left columns void), without crowd flags,
        // with segment 16758454 (a horse) relabelled as a person. panopticapi's pq_compute, run on the same
        // prediction written by PIL, prints (fractions, 12 decimals):
        //   All    0.521185707958 0.612168656865 0.712825696316 8
        //   Things 0.266750595928 0.448716493742 0.425651392633 4
        //   Stuff  0.775620819988 0.775620819988 1.000000000000 4
        // with (TP, FP, FN) person (6, 21, 20), horse (5, 5, 6), category 37 (0, 1, 1), category 8 (2, 0, 0).
        (string predJson, string predDir) = WriteShiftedPrediction(shift: 8, relabelSegment: 16758454, relabelTo: 1);

        PqResult r = PanopticEvaluator.Evaluate(Sample("panoptic_examples.json"), null, predJson, predDir);

        AssertClose(new PqSummary(0.521185707958, 0.612168656865, 0.712825696316, 8), r.All);
        AssertClose(new PqSummary(0.266750595928, 0.448716493742, 0.425651392633, 4), r.Things);
        AssertClose(new PqSummary(0.775620819988, 0.775620819988, 1.0, 4), r.Stuff);
        Assert.Equal((6, 21, 20), Counts(r, 1));
        Assert.Equal((5, 5, 6), Counts(r, 19));
        Assert.Equal((0, 1, 1), Counts(r, 37));
        Assert.Equal((2, 0, 0), Counts(r, 8));
    }

    [AssetFact]
    public void ToJson_CocoSample_HasPercentagesAndCountedCategories()
    {
        string json = Sample("panoptic_examples.json");
        PqResult r = PanopticEvaluator.Evaluate(json, null, json, null);

        using JsonDocument doc = JsonDocument.Parse(r.ToJson());

        JsonElement all = doc.RootElement.GetProperty("all");
        Assert.Equal(100.0, all.GetProperty("pq").GetDouble());
        Assert.Equal(8, all.GetProperty("n").GetInt32());
        Assert.Equal(4, doc.RootElement.GetProperty("things").GetProperty("n").GetInt32());
        Assert.Equal(8, doc.RootElement.GetProperty("per_category").GetArrayLength());
        Assert.Equal(2, doc.RootElement.GetProperty("images").GetInt32());
    }

    [Fact]
    public void Evaluate_GroundTruthImageWithoutPrediction_ThrowsNamingImage()
    {
        var gt = new CocoPanopticDataset();
        gt.Categories.Add(Grid.Car);
        gt.Annotations.Add(new CocoPanopticAnnotation(7, "a.png"));
        var pred = new CocoPanopticDataset();
        pred.Annotations.Add(new CocoPanopticAnnotation(8, "a.png"));

        var e = Assert.Throws<InvalidDataException>(() => PanopticEvaluator.Evaluate(gt, _dir, pred, _dir));

        Assert.Contains("no prediction for the image with id 7", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_MissingPredictionFolder_ThrowsDirectoryNotFound()
    {
        var gt = new CocoPanopticDataset();
        gt.Categories.Add(Grid.Car);

        Assert.Throws<DirectoryNotFoundException>(() => PanopticEvaluator.Evaluate(gt, _dir, new CocoPanopticDataset(), Path.Combine(_dir, "nope")));
    }

    [Fact]
    public void Evaluate_FilesOnDisk_MatchesInMemoryAccumulator()
    {
        // The split case of PqAccumulatorTests, written as COCO files: the file path must give the same figures.
        IdMap gt = Grid.Map("111111112222", "111111112222");
        IdMap pred = Grid.Map("333334442222", "333334442222");
        var gtSet = new CocoPanopticDataset();
        gtSet.Categories.AddRange(Grid.Categories);
        var gtAnnotation = new CocoPanopticAnnotation(1, "f.png");
        gtAnnotation.Segments.AddRange([Grid.Seg(gt, '1', Grid.Car), Grid.Seg(gt, '2', Grid.Road)]);
        gtSet.Annotations.Add(gtAnnotation);
        var predSet = new CocoPanopticDataset();
        var predAnnotation = new CocoPanopticAnnotation(1, "f.png");
        predAnnotation.Segments.AddRange([Grid.Seg(pred, '3', Grid.Car), Grid.Seg(pred, '4', Grid.Car), Grid.Seg(pred, '2', Grid.Road)]);
        predSet.Annotations.Add(predAnnotation);
        Directory.CreateDirectory(Path.Combine(_dir, "gt"));
        Directory.CreateDirectory(Path.Combine(_dir, "pred"));
        PanopticIdPng.Write(Path.Combine(_dir, "gt", "f.png"), gt);
        PanopticIdPng.Write(Path.Combine(_dir, "pred", "f.png"), pred);
        gtSet.Save(Path.Combine(_dir, "gt.json"));
        predSet.Save(Path.Combine(_dir, "pred.json"));

        PqResult r = PanopticEvaluator.Evaluate(Path.Combine(_dir, "gt.json"), null, Path.Combine(_dir, "pred.json"), null);

        Assert.Equal(2, r.All.N);
        Assert.Equal((5.0 / 12 + 1) / 2, r.All.Pq, 1e-12);
    }

    private (string Json, string Dir) WriteShiftedPrediction(int shift, int relabelSegment, int relabelTo)
    {
        CocoPanopticDataset gt = CocoPanopticDataset.Load(Sample("panoptic_examples.json"));
        var pred = new CocoPanopticDataset();
        string dir = Path.Combine(_dir, "pred");
        Directory.CreateDirectory(dir);
        foreach (CocoPanopticAnnotation a in gt.Annotations)
        {
            IdMap map = PanopticIdPng.Read(Sample(Path.Combine("panoptic_examples", a.FileName)));
            var shifted = new IdMap(map.Width, map.Height);
            var present = new HashSet<int>();
            for (int y = 0; y < map.Height; y++)
            {
                for (int x = 0; x < map.Width; x++)
                {
                    int id = x >= shift ? map[x - shift, y] : 0;
                    shifted[x, y] = id;
                    present.Add(id);
                }
            }
            PanopticIdPng.Write(Path.Combine(dir, a.FileName), shifted);
            var annotation = new CocoPanopticAnnotation(a.ImageId, a.FileName);
            foreach (CocoSegmentInfo s in a.Segments)
            {
                if (present.Contains(s.Id))
                {
                    annotation.Segments.Add(s with { IsCrowd = false, CategoryId = s.Id == relabelSegment ? relabelTo : s.CategoryId });
                }
            }
            pred.Annotations.Add(annotation);
        }
        string json = Path.Combine(_dir, "pred.json");
        pred.Save(json);
        return (json, dir);
    }

    private static (int, int, int) Counts(PqResult r, int category)
    {
        PqCategoryResult c = r.Categories.Single(x => x.CategoryId == category);
        return (c.Tp, c.Fp, c.Fn);
    }

    private static void AssertClose(PqSummary expected, PqSummary actual)
    {
        Assert.Equal(expected.N, actual.N);
        Assert.Equal(expected.Pq, actual.Pq, 1e-11);
        Assert.Equal(expected.Sq, actual.Sq, 1e-11);
        Assert.Equal(expected.Rq, actual.Rq, 1e-11);
    }
}
