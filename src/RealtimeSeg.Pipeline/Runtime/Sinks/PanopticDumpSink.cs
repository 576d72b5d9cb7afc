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
/// <remarks>
/// Crash-safe: each PNG appears complete (temporary name, then rename) and only then is its frame appended to
/// <c>DIR/panoptic.jsonl</c> (<see cref="CocoPanopticJournal"/>). <c>panoptic.json</c> is written when the run ends
/// (cleanly or aborted) and the journal deleted; after <c>kill -9</c> the journal remains, listing every complete frame,
/// and <c>eval --allow-partial</c> scores them.
/// </remarks>
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
        _writer = new CocoPanopticWriter(Path.Combine(_directory, "panoptic.json"), context.Categories, Path.Combine(_directory, "panoptic"), journal: true);
        return Task.CompletedTask;
    }

    protected override void Write(ComposedFrame frame)
    {
        PanopticFrame panoptic = frame.Panoptic;
        int number = checked((int)panoptic.Sequence + 1);
        string name = number.ToString("D6", CultureInfo.InvariantCulture) + ".png";
        _writer!.Add(panoptic, new CocoImage(CocoImageId.FromNumber(number), name, panoptic.ImageWidth, panoptic.ImageHeight));
    }

    protected override void Complete() => Finish();

    public override ValueTask DisposeAsync()
    {
        // Also at dispose: an aborted run keeps the index of the frames it wrote.
        Finish();
        return base.DisposeAsync();
    }

    private void Finish()
    {
        CocoPanopticWriter? writer = _writer;
        _writer = null;
        if (writer is not null)
        {
            using (writer)
            {
                writer.Finish();
            }
        }
    }
}
