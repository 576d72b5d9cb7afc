using RealtimeSeg.Formats.Mot;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Formats.Tests.Mot;

public sealed class MotSeqInfoTests
{
    private const string Mot17 = "[Sequence]\nname=MOT17-02-DPM\nimDir=img1\nframeRate=30\nseqLength=600\nimWidth=1920\nimHeight=1080\nimExt=.jpg\n";

    [Fact]
    public void Read_MotChallengeFile_AllKeys()
    {
        MotSeqInfo info = MotSeqInfo.Read(new StringReader(Mot17), "seqinfo.ini");

        Assert.Equal(new MotSeqInfo
        {
            SeqLength = 600, Name = "MOT17-02-DPM", ImageDirectory = "img1", FrameRate = 30, ImageWidth = 1920, ImageHeight = 1080, ImageExtension = ".jpg",
        }, info);
    }

    [Fact]
    public void Read_KeysInOtherCaseCommentsAndOtherSections_Accepted()
    {
        MotSeqInfo info = MotSeqInfo.Read(new StringReader("; made by hand\n[Other]\nseqLength=1\n[Sequence]\nSEQLENGTH = 71\nframerate: 25\n"), "x.ini");

        Assert.Equal(71, info.SeqLength);
        Assert.Equal(25, info.FrameRate);
        Assert.Null(info.ImageWidth);
    }

    [Theory]
    [InlineData("[Sequence]\nname=a\n", 0, "no seqLength")]
    [InlineData("name=a\n", 1, "name=a")]
    [InlineData("[Other]\nseqLength=3\n", 0, "no [Sequence] section")]
    [InlineData("[Sequence]\nframeRate=25\nseqLength=many\n", 3, "seqLength 'many'")]
    [InlineData("[Sequence]\nseqLength=3\nimWidth=0\n", 3, "imWidth '0'")]
    [InlineData("[Sequence]\nseqLength=3\njunk\n", 3, "expected 'key=value'")]
    public void Read_BadFile_ThrowsNamingFileAndLine(string text, int line, string problem)
    {
        var e = Assert.Throws<MotFormatException>(() => MotSeqInfo.Read(new StringReader(text), "seq/seqinfo.ini"));

        Assert.Equal(line, e.LineNumber);
        Assert.StartsWith("seq/seqinfo.ini", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteFile_ThenReadFile_SameInfo()
    {
        using var dir = new TempFolder();
        var info = new MotSeqInfo { SeqLength = 100, Name = "synthetic-7", ImageDirectory = "img1", FrameRate = 29.97, ImageWidth = 1280, ImageHeight = 720, ImageExtension = ".png" };
        string path = Path.Combine(dir.Path, "seqinfo.ini");

        info.WriteFile(path);

        Assert.Equal(info, MotSeqInfo.ReadFile(path));
        Assert.StartsWith("[Sequence]\nname=synthetic-7\nimDir=img1\nframeRate=29.97\nseqLength=100\n", File.ReadAllText(path), StringComparison.Ordinal);
    }
}
