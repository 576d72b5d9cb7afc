using System.Globalization;
using RealtimeSeg.Core;

namespace RealtimeSeg.Tracking.Tests;

/// <summary>A MOTChallenge ground-truth file (<c>frame,id,x,y,w,h,conf,…</c>, 1-based frames) grouped by frame.</summary>
internal sealed class MotSequence
{
    private MotSequence(int frameCount, List<(int Id, BoundingBox Box)>[] frames)
    {
        FrameCount = frameCount;
        Frames = frames;
    }

    public int FrameCount { get; }

    /// <summary>Index 0 is MOT frame 1.</summary>
    public IReadOnlyList<(int Id, BoundingBox Box)>[] Frames { get; }

    public static MotSequence Load(string path)
    {
        var rows = new List<(int Frame, int Id, BoundingBox Box)>();
        foreach (string line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            string[] f = line.Split(',');
            float P(int i) => float.Parse(f[i], CultureInfo.InvariantCulture);
            rows.Add((int.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[1], CultureInfo.InvariantCulture), BoundingBox.FromXywh(P(2), P(3), P(4), P(5))));
        }
        int count = rows.Max(r => r.Frame);
        var frames = new List<(int, BoundingBox)>[count];
        for (int i = 0; i < count; i++)
        {
            frames[i] = [];
        }
        foreach (var r in rows)
        {
            frames[r.Frame - 1].Add((r.Id, r.Box));
        }
        return new MotSequence(count, frames);
    }
}
