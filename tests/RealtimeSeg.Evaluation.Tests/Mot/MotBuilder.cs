using RealtimeSeg.Formats.Mot;

namespace RealtimeSeg.Evaluation.Tests.Mot;

/// <summary>Small hand-made sequences: one row per (frame, id, box).</summary>
internal sealed class MotBuilder(string name = "hand-made")
{
    private readonly List<MotRecord> _records = [];

    public MotBuilder Box(int frame, int id, double x, double y, double w = 10, double h = 10)
    {
        _records.Add(MotRecord.Track(frame, id, x, y, w, h));
        return this;
    }

    public MotBuilder Gt(int frame, int id, double x, double y, int classId, double flag = 1, double w = 10, double h = 10)
    {
        _records.Add(new MotRecord(frame, id, x, y, w, h, flag, classId, 1.0));
        return this;
    }

    /// <summary>One object walking right by 5 px a frame, frames 1…frames.</summary>
    public MotBuilder Walker(int id, int frames, double y = 0, int firstFrame = 1)
    {
        for (int f = firstFrame; f < firstFrame + frames; f++)
        {
            Box(f, id, 5 * f, y);
        }
        return this;
    }

    public MotSequence Build(int? frameCount = null) => new(name, _records, frameCount);
}
