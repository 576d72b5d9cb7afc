using System.Globalization;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;
using RealtimeSeg.Inference;
using RealtimeSeg.Pipeline.Runtime;

namespace RealtimeSeg.Pipeline.Configuration;

/// <summary>
/// Capacities that must agree across stages, checked once the models are loaded and the streams opened, before any
/// frame flows: what a config section allows on its own is checked by <see cref="PipelineConfigLoader.Validate"/>, but
/// whether the tracker can take what the model emits, or a supplied frame pool can feed every stream, is only known
/// here. A mismatch found mid-run would fail a running stream on its first busy frame (the tracker throws on a frame
/// with more detections than it was sized for) or starve it; found here it is a <see cref="ConfigurationException"/>
/// (exit 2) naming both keys and both numbers. Start-up only.
/// </summary>
internal static class StartupChecks
{
    /// <summary>Runs every check.</summary>
    /// <param name="config">The validated config; its <see cref="PipelineConfig.Origin"/> gives file and line.</param>
    /// <param name="models">The loaded model(s).</param>
    /// <param name="framePool">The frame pool the caller supplied, or null when the pipeline sizes its own.</param>
    /// <param name="streams">Streams the run has (a drive source counts each of its cameras).</param>
    /// <param name="slotsHeldByDrives">Frame slots the drive players hold on top of the streams' rings.</param>
    /// <param name="slotBytesNeeded">Bytes of the largest stream's frame (<see cref="FramePool.BytesForBgr"/>).</param>
    public static void Validate(PipelineConfig config, ModelSet models, FramePool? framePool, int streams, int slotsHeldByDrives, int slotBytesNeeded)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(models);
        var instances = new int[models.Models.Length];
        for (int i = 0; i < instances.Length; i++)
        {
            SegmentationModel m = models.Models[i];
            instances[i] = m.ProducesInstances ? m.MaxDetections : 0;
        }
        CheckTrackerCapacity(config, instances);
        if (framePool is not null)
        {
            CheckFramePool(config, framePool, streams, slotsHeldByDrives, slotBytesNeeded);
        }
    }

    /// <summary>
    /// The tracker takes every detection of a frame (the fused models' together), so its <c>max_detections</c> must be
    /// at least the sum of the models' <c>max_detections</c>. The tracker is not sized from the model automatically: its
    /// association buffers grow with tracks × detections, and a model set to keep 10 000 candidates should be a visible
    /// choice, not a silent 300 MB per stream.
    /// </summary>
    /// <param name="instancesPerModel">Per model of the config, in order, the most detections it emits per frame (0 for a semantic-only model).</param>
    public static void CheckTrackerCapacity(PipelineConfig config, ReadOnlySpan<int> instancesPerModel)
    {
        ArgumentNullException.ThrowIfNull(config);
        long total = 0;
        foreach (int n in instancesPerModel)
        {
            total += n;
        }
        int capacity = config.Tracker.MaxDetections;
        if (total <= capacity)
        {
            return;
        }
        var parts = new List<string>(instancesPerModel.Length);
        for (int i = 0; i < instancesPerModel.Length; i++)
        {
            if (instancesPerModel[i] > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{ModelKey(config, i)}.max_detections = {instancesPerModel[i]}"));
            }
        }
        string models = string.Join(" + ", parts);
        string lower = parts.Count == 1 ? "lower " + ModelKey(config, FirstWithInstances(instancesPerModel)) + ".max_detections" : "lower the models' max_detections";
        const string Key = "tracker.max_detections";
        throw new ConfigurationException(config.Origin.Where(Key) + string.Create(CultureInfo.InvariantCulture,
            $"key '{Key}': the tracker takes at most {capacity} detections per frame, but {(parts.Count == 1 ? "the model emits" : "the fused models emit")} up to {total} ({models}); a busy frame would stop the stream mid-run. Set {Key} to at least {total} or {lower}"));
    }

    /// <summary>
    /// Fewest frame slots with which no stream can starve: per stream its ring (<c>pipeline.queue_capacity</c>) and the
    /// frame its source is decoding, the slots drive players hold, and the frame inference is preprocessing. With fewer,
    /// a lockstep run can wait forever for a slot and a realtime one drops frames it had room to queue.
    /// </summary>
    public static int FrameSlotsNeeded(int streams, PipelineOptions pipeline, int slotsHeldByDrives)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return (streams * (pipeline.QueueCapacity + 1)) + slotsHeldByDrives + 1;
    }

    /// <summary>A frame pool supplied by the caller (tests, benchmarks, an embedding host) must hold every stream's frames.</summary>
    public static void CheckFramePool(PipelineConfig config, FramePool pool, int streams, int slotsHeldByDrives, int slotBytesNeeded)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(pool);
        int needed = FrameSlotsNeeded(streams, config.Pipeline, slotsHeldByDrives);
        const string Key = "pipeline.queue_capacity";
        if (pool.SlotCount < needed)
        {
            throw new ConfigurationException(config.Origin.Where(Key) + string.Create(CultureInfo.InvariantCulture,
                $"key '{Key}': the frame pool has {pool.SlotCount} slots, but {streams} stream(s) with {Key} {config.Pipeline.QueueCapacity} need at least {needed} ({streams} × ({config.Pipeline.QueueCapacity} queued + 1 being decoded) + {slotsHeldByDrives} held by drives + 1 being preprocessed); give a larger pool or lower {Key}"));
        }
        if (pool.SlotBytes < slotBytesNeeded)
        {
            throw new ConfigurationException(config.Origin.Where("sources") + string.Create(CultureInfo.InvariantCulture,
                $"key 'sources': the frame pool's slots hold {pool.SlotBytes} bytes, but the largest stream's frame needs {slotBytesNeeded}; size the pool with FramePool.BytesForBgr for the largest stream"));
        }
    }

    private static string ModelKey(PipelineConfig config, int index)
        => config.IsFusion ? string.Create(CultureInfo.InvariantCulture, $"models[{index}]") : "model";

    private static int FirstWithInstances(ReadOnlySpan<int> instancesPerModel)
    {
        for (int i = 0; i < instancesPerModel.Length; i++)
        {
            if (instancesPerModel[i] > 0)
            {
                return i;
            }
        }
        return 0;
    }
}
