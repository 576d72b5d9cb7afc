using System.Globalization;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Formats.Panoptic;

namespace RealtimeSeg.Pipeline.Runtime.Sinks;

/// <summary>
/// <c>--dump-panoptic DIR</c>: every published frame as COCO panoptic (<c>DIR/panoptic/NNNNNN.png</c> + the
/// <c>DIR/panoptic.json</c> index), which <c>eval panoptic</c>/<c>stq</c> and panopticapi read. COCO image id and file
/// number are <c>seq + 1</c>, as <c>synth export</c> names the same frames. Encodes a PNG per frame, so it runs on its
/// own thread, off the socket's.
/// </summary>
internal sealed class PanopticDumpSink : ThreadedFrameSink
{
    private readonly string _directory;
    private CocoPanopticWriter? _writer;

    public PanopticDumpSink(string directory)
    {
        _directory = directory;
    }

    public override string Name => "panoptic-dump";

    public override Task StartAsync(SinkContext context, CancellationToken ct)
    {
        _writer = new CocoPanopticWriter(Path.Combine(_directory, "panoptic.json"), context.Categories, Path.Combine(_directory, "panoptic"));
        return Task.CompletedTask;
    }

    protected override void Write(ComposedFrame frame)
    {
        PanopticFrame panoptic = frame.Panoptic;
        int number = checked((int)panoptic.Sequence + 1);
        string name = number.ToString("D6", CultureInfo.InvariantCulture) + ".png";
        _writer!.Add(panoptic, new CocoImage(CocoImageId.FromNumber(number), name, panoptic.ImageWidth, panoptic.ImageHeight));
    }

    protected override void Complete() => Save();

    public override ValueTask DisposeAsync()
    {
        // Also at dispose: an aborted run keeps the index of the frames it wrote.
        Save();
        return base.DisposeAsync();
    }

    private void Save()
    {
        _writer?.Save();
        _writer = null;
    }
}
