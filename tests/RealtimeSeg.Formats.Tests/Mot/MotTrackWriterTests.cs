using RealtimeSeg.Core;
using RealtimeSeg.Formats.Mot;
using RealtimeSeg.TestSupport;

namespace RealtimeSeg.Formats.Tests.Mot;

public sealed class MotTrackWriterTests
{
    [Fact]
    public void WriteTrack_PipelineBox_TrackerRowWithShortestNumbers()
    {
        var text = new StringWriter();
        using (var writer = new MotTrackWriter(text, leaveOpen: true))
        {
            writer.WriteTrack(1, 3, BoundingBox.FromXywh(113.84f, 274.5f, 57.25f, 130f), 0.9f);
        }

        Assert.Equal("1,3,113.84,274.5,57.25,130,0.9,-1,-1,-1\n", text.ToString());
    }

    [Fact]
    public void WriteGroundTruth_Row_Mot17Layout()
    {
        var text = new StringWriter();
        using (var writer = new MotTrackWriter(text, leaveOpen: true))
        {
            writer.WriteGroundTruth(12, 4, 10.5, 20, 30, 40, classId: 3, visibility: 0.75);
            writer.WriteGroundTruth(12, 5, 1, 2, 3, 4, classId: 1, visibility: 1, evaluated: false);
        }

        Assert.Equal("12,4,10.5,20,30,40,1,3,0.75\n12,5,1,2,3,4,0,1,1\n", text.ToString());
    }

    [Theory]
    [InlineData(MotRowLayout.Tracker)]
    [InlineData(MotRowLayout.GroundTruth)]
    public void WriteFile_ThenRead_SameRecords(MotRowLayout layout)
    {
        using var dir = new TempFolder();
        var records = new List<MotRecord>
        {
            new(1, 1, 0.1, 0.2, 10.3, 20.4, 1, layout == MotRowLayout.Tracker ? -1 : 1, layout == MotRowLayout.Tracker ? -1 : 0.5),
            new(2, 17, 1e-3, 640.25, 1.0 / 3, 99, 1, layout == MotRowLayout.Tracker ? -1 : 7, layout == MotRowLayout.Tracker ? -1 : 1),
        };
        string path = Path.Combine(dir.Path, "out", "seq.txt");

        MotTrackWriter.WriteFile(path, new MotSequence("seq", records), layout);

        Assert.Equal(records, MotTextReader.ReadFile(path).Records);
    }

    [Fact]
    public void WriteTrack_AfterWarmUp_AllocatesNothing()
    {
        using var writer = new MotTrackWriter(new StreamWriter(Stream.Null), leaveOpen: false);
        var box = new BoundingBox(100.25f, 200.5f, 160.75f, 330f);
        // Warm-up past the StreamWriter's first buffer flush, which allocates its byte buffer once.
        for (int i = 0; i < 200; i++)
        {
            writer.WriteTrack(1, i, box, 0.5f);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int frame = 2; frame < 1000; frame++)
        {
            writer.WriteTrack(frame, frame % 50, box, 0.87654f);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1198, writer.RowCount);
    }

    [Fact]
    public void WriteTrack_NonFiniteBox_Throws()
    {
        using var writer = new MotTrackWriter(new StringWriter());

        Assert.Throws<ArgumentOutOfRangeException>(() => writer.WriteTrack(1, 1, double.NaN, 0, 1, 1, 1));
    }

    [Fact]
    public void WriteTrack_FrameZero_Throws()
    {
        using var writer = new MotTrackWriter(new StringWriter());

        Assert.Throws<ArgumentOutOfRangeException>(() => writer.WriteTrack(0, 1, 0, 0, 1, 1, 1));
    }

    [Fact]
    public void WriteTrack_AfterDispose_Throws()
    {
        var writer = new MotTrackWriter(new StringWriter());
        writer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => writer.WriteTrack(1, 1, 0, 0, 1, 1, 1));
    }
}
