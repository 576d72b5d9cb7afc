namespace RealtimeSeg.Formats.Mot;

/// <summary>The two MOTChallenge row layouts <see cref="MotTrackWriter"/> writes.</summary>
public enum MotRowLayout
{
    /// <summary><c>frame,id,x,y,w,h,score,-1,-1,-1</c>: tracker output (and MOT15 ground truth, score = 1).</summary>
    Tracker,

    /// <summary><c>frame,id,x,y,w,h,flag,class,visibility</c>: MOT16/17/20 ground truth (flag 1 = evaluated).</summary>
    GroundTruth,
}
