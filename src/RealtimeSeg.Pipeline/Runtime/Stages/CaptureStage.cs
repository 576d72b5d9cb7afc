using RealtimeSeg.Core;

namespace RealtimeSeg.Pipeline.Runtime.Stages;

/// <summary>
/// Stage 1, capture: every producer (a frame source, or a recorded drive with one stream per camera) fills its streams'
/// capture rings from its own frame pool, on its own thread. A producer that fails ends only its own streams (their
/// rings carry the failure to the inference stage, which reports it per stream); the stage completes when every
/// producer has ended, and never faults.
/// </summary>
internal sealed class CaptureStage
{
    private readonly ProducerEntry[] _producers;
    private readonly IPipelineLog _log;

    public CaptureStage(ProducerEntry[] producers, IPipelineLog log)
    {
        _producers = producers;
        _log = log;
    }

    public Task RunAsync(CaptureRings output, CancellationToken stop)
    {
        var running = new Task[_producers.Length];
        for (int i = 0; i < running.Length; i++)
        {
            running[i] = RunProducerAsync(_producers[i], output, stop);
        }
        return Task.WhenAll(running);
    }

    private async Task RunProducerAsync(ProducerEntry entry, CaptureRings output, CancellationToken stop)
    {
        try
        {
            // Producers start their own threads and return at once; a synchronous failure surfaces here.
            await entry.Producer.RunAsync(entry.Pool, stop).ConfigureAwait(false);
            if (!stop.IsCancellationRequested)
            {
                // Its source ended (max_frames, end of file): the frames it left in the rings still go through the model.
                _log.Info($"capture ended: {entry.Producer.Description}");
            }
        }
        catch (Exception e)
        {
            // Sources log their own failures (naming the source); here only the rings need to learn of it.
            // Completing the rings again guards against a producer that failed before completing them.
            foreach (int i in entry.Streams)
            {
                output.Complete(i, e is OperationCanceledException ? null : e);
            }
            return;
        }
        finally
        {
            // A ring completed outside the signalling writer must still wake the inference stage.
            output.Bell.Ring();
        }
    }
}
