using System.Diagnostics;
using System.Threading.Channels;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Protocol;
using RealtimeSeg.Publishing;
using RealtimeSeg.Recording.Mcap;

namespace RealtimeSeg.Pipeline.Recorder;

/// <summary>
/// <c>realtimeseg replay</c>: publishes a recording again on a ZeroMQ socket, message for message — the recorded wire
/// bytes unchanged — with its original timing: each stream's frames are spaced by their media time (<c>media_ns</c>;
/// the capture time for v1 frames), divided by the speed, and the streams keep their recorded offsets to each other.
/// Category tables come from the recording, so late joiners get them as from a live run; each stream's end goes out
/// after its last frame (a stream whose recorded end is not played — cut by <c>--end</c>, or by a crash — gets one,
/// reason "completed", after its last played frame). A recording cut by a crash (no index) is played from its start as
/// far as it is complete.
/// The schedule runs on a dedicated thread that sleeps until about three milliseconds before each message and spins the rest (a wake-up on a loaded machine is a few milliseconds late; spinning costs a tenth of a core at 30 frames/s).
/// </summary>
public sealed class RecordingPlayer
{
    private const long SpinNs = 3_000_000;

    private readonly string _path;
    private readonly ReplayOptions _options;
    private readonly IPipelineLog _log;

    public RecordingPlayer(string path, ReplayOptions options, IPipelineLog log)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!File.Exists(path))
        {
            throw new SourceUnavailableException(path, "no such recording");
        }
        _path = path;
        _options = options;
        _log = log;
    }

    /// <summary>The streams of the recording and their category tables (from its meta channels), in channel order.</summary>
    public IReadOnlyList<(string Stream, CategoryTable Categories)> ReadStreams()
    {
        var tables = new List<(string, CategoryTable)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach ((McapChannel channel, McapMessage message) in Messages(out _))
        {
            if (RecordingTopics.StreamOf(channel.Topic, out string kind) is { } stream && kind == "meta" && seen.Add(stream)
                && (_options.Stream is null || _options.Stream == stream))
            {
                tables.Add((stream, CategoryTableSerializer.Read(message.Data).Categories));
            }
        }
        if (tables.Count == 0)
        {
            throw new SourceUnavailableException(_path, _options.Stream is null
                ? "no RealtimeSeg streams in this recording (no /realtimeseg/<stream>/meta channel)"
                : $"no stream '{_options.Stream}' in this recording");
        }
        return tables;
    }

    /// <summary>Plays the recording into <paramref name="publisher"/> (its streams registered, not yet started).</summary>
    public Task<ReplayReport> RunAsync(ZeroMqPublisher publisher, CancellationToken ct) => RunAsync(publisher, null, ct);

    /// <summary>
    /// Plays the recording into <paramref name="publisher"/> and, when given, into <paramref name="sink"/> too (the
    /// overlay video of <c>replay --overlay</c>): each frame deserialized, with the camera JPEG recorded for it when the
    /// recording has one (<c>/realtimeseg/&lt;stream&gt;/image</c>, same sequence number). The sink loses nothing: when it
    /// falls behind, the replay waits for it (and runs late against its schedule, counted in the report). A sink that
    /// fails is cut off and its error thrown once the replay has ended.
    /// </summary>
    public async Task<ReplayReport> RunAsync(ZeroMqPublisher publisher, IFrameSink? sink, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        IReadOnlyList<(string Stream, CategoryTable Categories)> streams = ReadStreams();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < streams.Count; i++)
        {
            publisher.AddStream(i, streams[i].Stream, streams[i].Categories);
            index[streams[i].Stream] = i;
        }
        Channel<ComposedFrame>? sinkFrames = null;
        Task sinkRun = Task.CompletedTask;
        if (sink is not null)
        {
            await sink.StartAsync(SinkContextOf(streams), ct).ConfigureAwait(false);
            sinkFrames = Channel.CreateBounded<ComposedFrame>(new BoundedChannelOptions(SinkQueue) { SingleReader = true, SingleWriter = true });
            sinkRun = sink.RunAsync(sinkFrames.Reader, ct);
            _ = sinkRun.ContinueWith(static (_, channel) => CutOff((Channel<ComposedFrame>)channel!), sinkFrames, CancellationToken.None, TaskContinuationOptions.NotOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        var frames = Channel.CreateBounded<ComposedFrame>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        Task publishing = publisher.RunAsync(frames.Reader, ct);
        await publisher.Ready.WaitAsync(ct).ConfigureAwait(false);
        if (_options.WaitForSubscriber > TimeSpan.Zero)
        {
            Task first = await Task.WhenAny(publisher.FirstSubscription, Task.Delay(_options.WaitForSubscriber, ct)).ConfigureAwait(false);
            if (first != publisher.FirstSubscription)
            {
                _log.Warn($"no subscriber on {publisher.Endpoint} after {_options.WaitForSubscriber.TotalSeconds:0.#} s; replaying anyway");
            }
        }
        ReplayReport report;
        try
        {
            report = await Runtime.DedicatedThread.Run("rseg-replay", () => Play(index, publisher, frames.Writer, sinkFrames?.Writer, ct)).ConfigureAwait(false);
        }
        finally
        {
            frames.Writer.TryComplete();
            sinkFrames?.Writer.TryComplete();
        }
        try
        {
            await publishing.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped: what was queued is released by the publisher.
        }
        try
        {
            await sinkRun.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped: the sink released what it held; the rest of its queue is released here.
            CutOff(sinkFrames!);
        }
        return report;
    }

    /// <summary>How long the schedule waits for the first message to leave the publisher before it starts anyway.</summary>
    private static readonly TimeSpan FirstSendPatience = TimeSpan.FromSeconds(1);

    /// <summary>Frames the sink's queue holds: it waits rather than drops, so a short queue keeps the replay close to the sink.</summary>
    private const int SinkQueue = 4;

    /// <summary>A sink that stopped reading: no more frames go to it, and those it left in its queue are released.</summary>
    private static void CutOff(Channel<ComposedFrame> channel)
    {
        channel.Writer.TryComplete();
        while (channel.Reader.TryRead(out ComposedFrame? left))
        {
            left.Release();
        }
    }

    /// <summary>The streams as a sink sees them; each one's frame rate measured from its first frames' media times.</summary>
    private SinkContext SinkContextOf(IReadOnlyList<(string Stream, CategoryTable Categories)> streams)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string stream, _) in streams)
        {
            names.Add(stream);
        }
        Dictionary<string, double> rates = MeasureFrameRates(names);
        var sinkStreams = new SinkStream[streams.Count];
        for (int i = 0; i < sinkStreams.Length; i++)
        {
            sinkStreams[i] = new SinkStream(i, streams[i].Stream, _path, rates.GetValueOrDefault(streams[i].Stream));
        }
        return new SinkContext(sinkStreams, streams[0].Categories, "");
    }

    /// <summary>
    /// Each stream's source frame rate: the median gap between the media times (capture times for v1 frames) of its
    /// first frames. A recording does not store the rate, and its log times are when the recorder got each frame (a
    /// lockstep run records faster than the video plays).
    /// </summary>
    private Dictionary<string, double> MeasureFrameRates(HashSet<string> streams)
    {
        const int Sample = 16;
        var times = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        var frame = new PanopticFrame();
        var deserializer = new PanopticFrameDeserializer();
        int full = 0;
        foreach ((McapChannel channel, McapMessage message) in Messages(out _))
        {
            if (RecordingTopics.StreamOf(channel.Topic, out string kind) is not { } stream || kind != "panoptic" || !streams.Contains(stream))
            {
                continue;
            }
            if (!times.TryGetValue(stream, out List<long>? list))
            {
                times[stream] = list = new List<long>(Sample);
            }
            if (list.Count == Sample)
            {
                continue;
            }
            deserializer.Read(message.Data, frame);
            list.Add(frame.MediaNs >= 0 ? frame.MediaNs : frame.CaptureUtcNs);
            if (list.Count == Sample && ++full == streams.Count)
            {
                break;
            }
        }
        var rates = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach ((string stream, List<long> list) in times)
        {
            var gaps = new List<long>(list.Count);
            for (int i = 1; i < list.Count; i++)
            {
                if (list[i] > list[i - 1])
                {
                    gaps.Add(list[i] - list[i - 1]);
                }
            }
            if (gaps.Count > 0)
            {
                gaps.Sort();
                rates[stream] = 1e9 / gaps[gaps.Count / 2];
            }
        }
        return rates;
    }

    private ReplayReport Play(Dictionary<string, int> streams, ZeroMqPublisher publisher, ChannelWriter<ComposedFrame> output, ChannelWriter<ComposedFrame>? sinkOutput, CancellationToken ct)
    {
        // Frames alive at once: the publisher's queue and the one it sends, the sink's queue and the one it draws.
        var pool = new ComposedFramePool(sinkOutput is null ? 8 : 8 + SinkQueue + 2);
        var images = sinkOutput is null ? null : new RecordedImages(streams.Count);
        var frame = new PanopticFrame();
        var deserializer = new PanopticFrameDeserializer();
        var lateness = new List<long>(1024);
        long frames = 0, ends = 0;
        int passes = 0;
        bool indexed = true;
        long startNs = (long)_options.Start.TotalNanoseconds;
        long endNs = _options.End is { } e ? (long)e.TotalNanoseconds : long.MaxValue;
        do
        {
            passes++;
            long originWall = MonotonicClock.NowNs();
            long recordingOrigin = long.MinValue;
            var streamOrigin = new Dictionary<string, (long Log, long Media)>(StringComparer.Ordinal);
            // Per stream, this pass: frames sent since its last end (0: ended or none), the last frame's run and seq.
            long[] sentSinceEnd = new long[streams.Count];
            string[] lastRun = new string[streams.Count];
            long[] lastSequence = new long[streams.Count];
            foreach ((McapChannel channel, McapMessage message) in Messages(out indexed))
            {
                if (ct.IsCancellationRequested)
                {
                    return Report();
                }
                if (RecordingTopics.StreamOf(channel.Topic, out string kind) is not { } stream || !streams.TryGetValue(stream, out int streamIndex))
                {
                    continue;
                }
                if (kind == "image" && images is not null)
                {
                    // Recorded just before its frame (same sequence number); kept until that frame goes out.
                    images.Keep(streamIndex, message.Sequence, message.Data.Span);
                    continue;
                }
                if (kind is not ("panoptic" or "end"))
                {
                    continue;
                }
                if (recordingOrigin == long.MinValue)
                {
                    recordingOrigin = message.LogTimeNs;
                }
                long offset;
                if (kind == "panoptic")
                {
                    deserializer.Read(message.Data, frame);
                    if (!streamOrigin.TryGetValue(stream, out (long Log, long Media) origin))
                    {
                        origin = (message.LogTimeNs, frame.MediaNs);
                        streamOrigin[stream] = origin;
                    }
                    // Media time is the source's own clock: a lockstep run captured faster than real time still replays
                    // at the speed the video plays. Without it (v1), the capture time.
                    offset = (origin.Log - recordingOrigin) + (frame.MediaNs >= 0 && origin.Media >= 0 ? frame.MediaNs - origin.Media : message.LogTimeNs - origin.Log);
                }
                else
                {
                    offset = message.LogTimeNs - recordingOrigin;
                }
                if (offset < startNs || offset > endNs)
                {
                    continue;
                }
                long dueNs = originWall + (long)((offset - startNs) / _options.Speed);
                WaitUntil(dueNs, ct);
                if (ct.IsCancellationRequested)
                {
                    return Report();
                }
                lateness.Add(Math.Max(0, MonotonicClock.NowNs() - dueNs));
                bool first = frames == 0 && ends == 0;
                long sentBefore = publisher.FramesPublished;
                Send(pool, output, streamIndex, kind == "end", message.Data.Span, sinkOutput, frame, images, ct);
                if (first)
                {
                    // The first message pays for first-time costs on its way out (the send path's JIT, ZeroMQ's first
                    // write): the schedule starts once it has left, so they do not shorten the first interval.
                    SpinWait.SpinUntil(() => publisher.FramesPublished > sentBefore || ct.IsCancellationRequested, FirstSendPatience);
                    originWall = MonotonicClock.NowNs() - (long)((offset - startNs) / _options.Speed);
                }
                if (kind == "end")
                {
                    ends++;
                    sentSinceEnd[streamIndex] = 0;
                }
                else
                {
                    frames++;
                    sentSinceEnd[streamIndex]++;
                    lastRun[streamIndex] = frame.Run;
                    lastSequence[streamIndex] = frame.Sequence;
                }
            }
            // A stream whose recorded end was not played (cut by --end, or a recording a crash cut short) still ends:
            // without the message a subscriber could not tell the end of the replay from a stall.
            foreach ((string stream, int streamIndex) in streams)
            {
                if (sentSinceEnd[streamIndex] > 0 && !ct.IsCancellationRequested)
                {
                    var end = new StreamEndMessage(stream, lastRun[streamIndex], StreamEndReason.Completed, lastSequence[streamIndex], sentSinceEnd[streamIndex]);
                    Send(pool, output, streamIndex, end: true, StreamEndSerializer.ToArray(end), sinkOutput, frame, images, ct);
                    ends++;
                }
            }
        }
        while (_options.Loop && !ct.IsCancellationRequested);
        return Report();

        ReplayReport Report()
        {
            long[] sorted = [.. lateness];
            Array.Sort(sorted);
            double p99 = sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(0.99 * sorted.Length) - 1, 0, sorted.Length - 1)] / 1e6;
            return new ReplayReport(frames, ends, passes, Math.Round(p99, 3), indexed);
        }
    }

    /// <summary>
    /// Hands the recorded bytes, unchanged, to the publisher as a composed frame of <paramref name="stream"/>; and to the
    /// sink, if any, with the deserialized <paramref name="panoptic"/> frame and its recorded JPEG.
    /// </summary>
    private static void Send(ComposedFramePool pool, ChannelWriter<ComposedFrame> output, int stream, bool end, ReadOnlySpan<byte> message,
        ChannelWriter<ComposedFrame>? sinkOutput, PanopticFrame panoptic, RecordedImages? images, CancellationToken ct)
    {
        ComposedFrame composed;
        var spin = default(SpinWait);
        // The publisher gives frames back within a send; the pool only runs dry for an instant.
        while (!pool.TryRent(out composed))
        {
            if (ct.IsCancellationRequested)
            {
                return;
            }
            spin.SpinOnce();
        }
        composed.Panoptic.StreamIndex = stream;
        if (end)
        {
            composed.MarkEndOfStream(StreamEndReason.Completed);
        }
        message.CopyTo(composed.MessageWriter.GetSpan(message.Length));
        composed.MessageWriter.Advance(message.Length);
        if (sinkOutput is not null)
        {
            if (!end)
            {
                composed.Panoptic.CopyFrom(panoptic);
                images!.CopyTo(stream, panoptic.Sequence, composed.JpegWriter);
            }
            composed.Panoptic.StreamIndex = stream;
            // The sink's reference is taken before the publisher, which may release its own at once, gets the frame.
            composed.AddRef();
            Write(output, composed, ct);
            Write(sinkOutput, composed, ct);
            return;
        }
        Write(output, composed, ct);
    }

    /// <summary>Hands over one reference to <paramref name="composed"/>; waits for room rather than drop a recorded frame (a stalled socket, a slow sink).</summary>
    private static void Write(ChannelWriter<ComposedFrame> output, ComposedFrame composed, CancellationToken ct)
    {
        if (output.TryWrite(composed))
        {
            return;
        }
        try
        {
            output.WriteAsync(composed, ct).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            composed.Release();
        }
    }

    /// <summary>Sleeps until about three milliseconds before <paramref name="dueNs"/>, then spins: sleeps alone are 1 ms coarse.</summary>
    private static void WaitUntil(long dueNs, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            long left = dueNs - MonotonicClock.NowNs();
            if (left <= 0)
            {
                return;
            }
            if (left > SpinNs)
            {
                ct.WaitHandle.WaitOne(TimeSpan.FromTicks((left - SpinNs) / 100));
                continue;
            }
            Thread.SpinWait(64);
        }
    }

    /// <summary>Messages in log-time order through the index, or from the start when the file has none (a crash cut it).</summary>
    private IEnumerable<(McapChannel Channel, McapMessage Message)> Messages(out bool indexed)
    {
        McapReader? reader = null;
        try
        {
            reader = McapReader.Open(_path);
            indexed = reader.IsIndexed;
        }
        catch (McapFormatException)
        {
            indexed = false;
        }
        if (indexed)
        {
            return Indexed(reader!);
        }
        reader?.Dispose();
        _log.Warn($"{_path} was not closed cleanly (a crash?): playing it from its start as far as it is complete; `realtimeseg recording recover` rewrites it with an index");
        return Streamed();
    }

    private static IEnumerable<(McapChannel, McapMessage)> Indexed(McapReader reader)
    {
        using (reader)
        {
            foreach (McapMessage m in reader.ReadMessages())
            {
                yield return (reader.Channels[m.ChannelId], m);
            }
        }
    }

    private IEnumerable<(McapChannel, McapMessage)> Streamed()
    {
        using McapStreamReader reader = McapStreamReader.Open(_path);
        foreach (McapMessage m in reader.ReadMessages())
        {
            yield return (reader.Channels[m.ChannelId], m);
        }
    }
}
