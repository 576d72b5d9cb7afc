using RealtimeSeg.Formats.Mot;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Formats.Tests.Mot;

public sealed class MotTextReaderTests
{
    [Fact]
    public void Read_Mot17GroundTruthRow_AllColumns()
    {
        MotSequence s = Read("3,7,912.5,484,97,109,0,7,0.25\n");

        Assert.Equal(new MotRecord(3, 7, 912.5, 484, 97, 109, 0, 7, 0.25), Assert.Single(s.Records));
        Assert.Equal(3, s.FrameCount);
        Assert.False(s.HasDeclaredFrameCount);
    }

    [Fact]
    public void Read_TrackerRowWithWorldCoordinates_ClassAndVisibilityMinusOne()
    {
        MotSequence s = Read("1,3,113.84,274.5,57.307,130.05,-1,-1,-1,-1");

        Assert.Equal(new MotRecord(1, 3, 113.84, 274.5, 57.307, 130.05, -1, -1, -1), Assert.Single(s.Records));
    }

    [Fact]
    public void Read_SixColumns_DefaultConfidenceOne()
    {
        MotRecord r = Assert.Single(Read("2,1,0,0,10,20").Records);

        Assert.Equal((1.0, -1, -1.0), (r.Confidence, r.ClassId, r.Visibility));
    }

    [Fact]
    public void Read_SpacesTabsBlankLinesTrailingComma_Accepted()
    {
        MotSequence s = Read("1, 2, 3.5, 4, 5, 6, 1,\n\n   \n2\t4\t1 2   3 4\n1.0,3,0,0,1,1,0.5,1,1\n");

        Assert.Equal(3, s.Records.Count);
        Assert.Equal(new MotRecord(1, 2, 3.5, 4, 5, 6, 1, -1, -1), s.Records[0]);
        Assert.Equal(new MotRecord(2, 4, 1, 2, 3, 4, 1, -1, -1), s.Records[1]);
        Assert.Equal(1, s.Records[2].Frame);
    }

    [Fact]
    public void Read_FractionalId_TruncatedAsTrackEval()
    {
        Assert.Equal(4, Assert.Single(Read("1,4.9,0,0,1,1").Records).Id);
    }

    [Theory]
    [InlineData("1,2,3,4,5,6\n1,2,x,4,5,6\n", 2, "column 3 (x) 'x' is not a finite number")]
    [InlineData("1,2,3,4,5\n", 1, "5 columns")]
    [InlineData("\n0,2,3,4,5,6\n", 2, "frame 0")]
    [InlineData("1.5,2,3,4,5,6\n", 1, "frame 1.5")]
    [InlineData("1,2,3,4,nan,6\n", 1, "(width) 'nan'")]
    [InlineData("1,2,3,,5,6\n", 1, "column 4 (y) ''")]
    public void Read_BadLine_ThrowsNamingFileAndLine(string text, int line, string problem)
    {
        var e = Assert.Throws<MotFormatException>(() => Read(text, path: "data/seq.txt"));

        Assert.Equal("data/seq.txt", e.FilePath);
        Assert.Equal(line, e.LineNumber);
        Assert.StartsWith($"data/seq.txt:{line}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FrameBeyondDeclaredLength_ThrowsWithLine()
    {
        var e = Assert.Throws<MotFormatException>(() => Read("1,1,0,0,1,1\n5,1,0,0,1,1\n", frameCount: 4));

        Assert.Equal(2, e.LineNumber);
        Assert.Contains("beyond the sequence length 4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DeclaredLength_KeptAsFrameCount()
    {
        MotSequence s = Read("1,1,0,0,1,1\n", frameCount: 9);

        Assert.Equal(9, s.FrameCount);
        Assert.True(s.HasDeclaredFrameCount);
    }

    [Fact]
    public void Read_DetectionsWithRepeatedIdMinusOne_ReadWithTheirLines()
    {
        MotSequence dets = Read("1,-1,0,0,10,10,0.9\n1,-1,50,0,10,10,0.8\n", path: "det.txt");

        Assert.Equal(2, dets.RecordsInFrame(1).Count);
        Assert.Equal((1, 2), (dets.LineOf(0), dets.LineOf(1)));
    }

    [Fact]
    public void RecordsInFrame_UnsortedFile_GroupsInFileOrder()
    {
        MotSequence s = Read("2,5,0,0,1,1\n1,1,0,0,1,1\n2,3,0,0,1,1\n");

        Assert.Equal([5, 3], s.RecordsInFrame(2).Select(r => r.Id));
        Assert.Equal([1], s.RecordsInFrame(1).Select(r => r.Id));
    }

    [Fact]
    public void ReadFile_MotChallengeGtPath_NamedAfterSequenceFolder()
    {
        using var dir = new TempFolder();
        string gt = dir.Write("MOT17-02/gt/gt.txt", "1,1,0,0,1,1,1,1,1\n");
        string pred = dir.Write("tracks/MOT17-02.txt", "1,1,0,0,1,1,1,-1,-1,-1\n");

        Assert.Equal("MOT17-02", MotTextReader.ReadFile(gt).Name);
        Assert.Equal("MOT17-02", MotTextReader.ReadFile(pred).Name);
        Assert.Equal(gt, MotTextReader.ReadFile(gt).SourcePath);
    }

    [AssetFact]
    public void ReadFile_TudCampusGroundTruth_AllRows()
    {
        MotSequence gt = MotTextReader.ReadFile(TestAssets.Path("tracking/TUD-Campus/gt.txt"));

        Assert.Equal(359, gt.Records.Count);
        Assert.Equal(71, gt.FrameCount);
    }

    private static MotSequence Read(string text, string path = "test.txt", int? frameCount = null)
        => MotTextReader.Read(new StringReader(text), path, "test", frameCount);
}
