using System.Globalization;
using RealtimeSeg.Core;
using RealtimeSeg.Formats.Mot;
using RealtimeSeg.Formats.Panoptic;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>
/// Writes every published frame in the standard formats the evaluators read (<c>--dump-mot</c>, <c>--dump-panoptic</c>),
/// so any run can be scored by <c>realtimeseg eval</c> or by TrackEval / panopticapi. Frame <c>seq</c> becomes
/// MOTChallenge frame and COCO image id <c>seq + 1</c>, with file name <c>{seq+1:D6}.png</c> — the names
/// <c>synth export</c> gives the same frames. An evaluation feature: it formats text and encodes a PNG per frame on
/// the publisher thread, so it allocates and costs time there; runs that measure latency leave it off.
/// </summary>
internal sealed class FrameDumper : IDisposable
{
    private readonly MotTrackWriter? _mot;
    private readonly CocoPanopticWriter? _panoptic;

    public FrameDumper(string? motPath, string? panopticDirectory, CategoryTable categories)
    {
        if (motPath is not null)
        {
            _mot = MotTrackWriter.Create(motPath);
        }
        if (panopticDirectory is not null)
        {
            _panoptic = new CocoPanopticWriter(Path.Combine(panopticDirectory, "panoptic.json"), categories, Path.Combine(panopticDirectory, "panoptic"));
        }
    }

    public bool Enabled => _mot is not null || _panoptic is not null;

    public void Write(PanopticFrame frame)
    {
        int number = checked((int)frame.Sequence + 1);
        if (_mot is not null)
        {
            foreach (ref readonly PanopticSegment s in frame.Segments)
            {
                if (s.IsThing && s.TrackId > 0)
                {
                    _mot.WriteTrack(number, s.TrackId, s.BboxX, s.BboxY, s.BboxWidth, s.BboxHeight, s.Score);
                }
            }
        }
        if (_panoptic is not null)
        {
            string name = number.ToString("D6", CultureInfo.InvariantCulture) + ".png";
            _panoptic.Add(frame, new CocoImage(CocoImageId.FromNumber(number), name, frame.ImageWidth, frame.ImageHeight));
        }
    }

    public void Dispose()
    {
        _mot?.Dispose();
        _panoptic?.Save();
    }
}
