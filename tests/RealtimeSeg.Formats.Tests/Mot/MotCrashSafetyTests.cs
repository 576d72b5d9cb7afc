using RealtimeSeg.Formats.Mot;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Formats.Tests.Mot;

/// <summary>What a killed writer leaves: whole rows only from <see cref="MotTrackWriter.Create"/>, and a reader that says when a file was cut mid-row.</summary>
public sealed class MotCrashSafetyTests
{
    [Fact]
    public void Create_MoreRowsThanTheBufferHolds_FileHoldsWholeRowsOnlyBeforeAnyFlush()
    {
        using var dir = new TempFolder();
        string path = Path.Combine(dir.Path, "tracks.txt");
        using var writer = MotTrackWriter.Create(path);
        // ~45 bytes a row: several times the row buffer, so rows reach the file without a Flush — as at a kill.
        for (int i = 0; i < 5000; i++)
        {
            writer.WriteTrack(1 + (i / 10), 1 + (i % 10), 100.25 + i, 200.5, 30, 60.125, 0.875);
        }

        string text = ReadShared(path);
        Assert.True(text.Length > 0, "rows beyond the buffer reach the file");
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        MotSequence read = MotTextReader.Read(new StringReader(text), path, "tracks");
        Assert.True(read.Records.Count < 5000);
        Assert.Equal(text.Count(c => c == '\n'), read.Records.Count);

        writer.Flush();
        Assert.Equal(5000, MotTextReader.Read(new StringReader(ReadShared(path)), path, "tracks").Records.Count);
    }

    [Theory]
    [InlineData("1,1,10,20,30,40,0.9,-1,-1,-1\n2,1,11,21,30,40,0.9,-1,-1,-1\n2,2,50,60,3", "does not parse: too few columns")]
    [InlineData("1,1,10,20,30,40,0.9,-1,-1,-1\n2,1,11,21,30,40,0.9,-1,-1,-1\n2,2,50,60,30,40,0.9,-1", "parses, but 8 columns where the row before has 10")]
    [InlineData("1,1,10,20,30,40,0.9,-1,-1,-1\n2,1,11,21,30,40,0.9,-1,-1,-1\n2,2,50,60,30,40,0.", "cut inside a number")]
    public void ReadFile_LastRowCutShort_ErrorSaysSoAndAllowPartialKeepsTheCompleteRows(string content, string why)
    {
        using var dir = new TempFolder();
        string path = dir.Write("cut.txt", content);

        MotFormatException e = Assert.Throws<MotFormatException>(() => MotTextReader.ReadFile(path));
        Assert.Equal(3, e.LineNumber);
        Assert.Contains("cut short", e.Message, StringComparison.Ordinal);

        MotSequence partial = MotTextReader.ReadFile(path, null, null, allowPartial: true, out bool cutShort);
        Assert.True(cutShort, why);
        Assert.Equal(2, partial.Records.Count);
    }

    [Theory]
    [InlineData("1,1,10,20,30,40,0.9,-1,-1,-1\n2,1,11,21,30,40,0.9,-1,-1,-1")]
    [InlineData("1,1,10,20,30,40\n2,1,11,21,30,40\n")]
    public void ReadFile_WholeLastRow_WithOrWithoutLineEnd_IsNotCutShort(string content)
    {
        using var dir = new TempFolder();
        string path = dir.Write("whole.txt", content);

        MotSequence read = MotTextReader.ReadFile(path, null, null, allowPartial: true, out bool cutShort);

        Assert.False(cutShort);
        Assert.Equal(2, read.Records.Count);
        Assert.Equal(2, MotTextReader.ReadFile(path).Records.Count);
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
