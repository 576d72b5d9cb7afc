using System.Diagnostics;

namespace RealtimeSeg.Evaluation.Mot;

/// <summary>
/// One sequence ready for the metrics, as TrackEval hands it to them after preprocessing: per timestep the
/// evaluated ground-truth and tracker ids (relabelled 0…n−1 in ascending order of the original ids), in file
/// order, and their IoU matrix (rows ground truth, columns tracker, row-major).
/// </summary>
internal sealed class MotEvalData
{
    public MotEvalData(int timesteps, int[][] gtIds, int[][] trackerIds, double[][] similarity, int numGtIds, int numTrackerIds)
    {
        Timesteps = timesteps;
        GtIds = gtIds;
        TrackerIds = trackerIds;
        Similarity = similarity;
        NumGtIds = numGtIds;
        NumTrackerIds = numTrackerIds;
        for (int t = 0; t < timesteps; t++)
        {
            NumGtDets += gtIds[t].Length;
            NumTrackerDets += trackerIds[t].Length;
        }
        AssertInvariants();
    }

    public int Timesteps { get; }
    public int[][] GtIds { get; }
    public int[][] TrackerIds { get; }
    public double[][] Similarity { get; }
    public int NumGtIds { get; }
    public int NumTrackerIds { get; }
    public int NumGtDets { get; }
    public int NumTrackerDets { get; }

    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(GtIds.Length == Timesteps && TrackerIds.Length == Timesteps && Similarity.Length == Timesteps);
        for (int t = 0; t < Timesteps; t++)
        {
            Debug.Assert(Similarity[t].Length == GtIds[t].Length * TrackerIds[t].Length, "one IoU per gt × tracker pair");
            foreach (int id in GtIds[t])
            {
                Debug.Assert(id >= 0 && id < NumGtIds, "gt ids are contiguous");
            }
            foreach (int id in TrackerIds[t])
            {
                Debug.Assert(id >= 0 && id < NumTrackerIds, "tracker ids are contiguous");
            }
        }
    }
}
