using System.CommandLine;
using System.Text;
using RealtimeSeg.Client;
using RealtimeSeg.Core;
using RealtimeSeg.Pipeline.Recorder;
using RealtimeSeg.Protocol;

namespace RealtimeSeg.Cli;

/// <summary>
/// <c>realtimeseg record --connect ENDPOINT --out FILE.mcap</c>: records any publisher (a run, a demo, a replay) into
/// the same recording <c>--record</c> writes in process: the received wire messages byte for byte, plus the Foxglove
/// channels. Stops after <c>--count</c> frames, <c>--duration</c>, on SIGINT/SIGTERM, or when every stream it has
/// seen has ended.
/// </summary>
internal static class RecordCommand
{
    private static readonly Option<string> ConnectOption = new("--connect") { Description = "publisher endpoint", DefaultValueFactory = _ => "tcp://127.0.0.1:5556" };
    private static readonly Option<string> OutOption = new("--out", "-o") { Description = "the .mcap file to write", Required = true };
    private static readonly Option<double?> DurationOption = new("--duration") { Description = "stop after SECONDS" };
    private static readonly Option<long?> CountOption = new("--count") { Description = "stop after N frames" };
    private static readonly Option<string?> StreamOption = new("--stream") { Description = "record this stream only" };
    private static readonly Option<double> ChunkDurationOption = new("--chunk-duration") { Description = "close a chunk at least every SECONDS (0.05…60; after kill -9 the file holds all but about the last SECONDS)", DefaultValueFactory = _ => 1.0 };

    public static Command Create()
    {
        var command = new Command("record", "record any publisher into an MCAP file (wire messages for replay/eval, Foxglove channels)")
        {
            ConnectOption, OutOption, DurationOption, CountOption, StreamOption, ChunkDurationOption, SecurityFlags.ServerKeyOption,
        };
        command.SetAction((parse, ct) => RunAsync(parse, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        string path = parse.GetValue(OutOption)!;
        if (!path.EndsWith(".mcap", StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigurationException($"--out {path}: a recording is an MCAP file; name it *.mcap");
        }
        double? duration = parse.GetValue(DurationOption);
        long? count = parse.GetValue(CountOption);
        if (duration is { } d && !(d > 0 && double.IsFinite(d)) || count is <= 0)
        {
            throw new ConfigurationException("--duration must be seconds > 0 and --count a number of frames > 0");
        }
        double chunk = parse.GetValue(ChunkDurationOption);
        if (!(chunk is >= 0.05 and <= 60))
        {
            throw new ConfigurationException($"--chunk-duration must be 0.05 … 60 seconds (got {chunk.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
        }
        var log = new ConsoleLog(Console.Error);
        using var writer = new RecordingWriter(path, RecordingWriter.DefaultOptions with { ChunkDuration = TimeSpan.FromSeconds(chunk) });
        var recorder = new Recorder(writer, count ?? long.MaxValue);
        var options = new SubscriberOptions { Endpoint = parse.GetValue(ConnectOption)!, Stream = parse.GetValue(StreamOption), ReceiveImages = true, ServerKey = SecurityFlags.ServerKey(parse) };
        await using (var subscriber = new SegmentationSubscriber(options, log))
        {
            subscriber.MessageReceived += recorder.OnMessage;
            Console.Error.WriteLine($"recording {options.Endpoint} into {path}; Ctrl-C stops");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (duration is { } seconds)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(seconds));
            }
            // A publisher that goes quiet leaves no chunk open for long: the open one closes on time here.
            using var idle = new PeriodicTimer(TimeSpan.FromSeconds(chunk / 4));
            try
            {
                while (!recorder.Done.IsCompleted)
                {
                    Task tick = idle.WaitForNextTickAsync(stop.Token).AsTask();
                    await Task.WhenAny(recorder.Done, tick).ConfigureAwait(false);
                    stop.Token.ThrowIfCancellationRequested();
                    recorder.FlushIfDue();
                }
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or --duration: what was received is kept.
            }
        }
        writer.Close();
        Console.Error.WriteLine($"recorded {recorder.Frames} frames of {recorder.StreamCount} stream(s) into {path}{(recorder.Pending > 0 ? $"; {recorder.Pending} frames came before their stream's category table (more than 256) and were not recorded" : "")}");
        return ExitCodes.Success;
    }

    /// <summary>Receive-thread side: each message straight into the recording (under a lock the idle flush shares).</summary>
    private sealed class Recorder(RecordingWriter writer, long maxFrames)
    {
        private readonly Dictionary<string, (int Width, int Height)> _imageSize = new(StringComparer.Ordinal);
        private readonly HashSet<string> _streams = new(StringComparer.Ordinal);
        private readonly HashSet<string> _ended = new(StringComparer.Ordinal);
        private readonly PanopticFrameDeserializer _deserializer = new();
        private readonly PanopticFrame _frame = new();
        // Frames that came before their stream's category table (a subscription to meta lands a moment after the one to
        // frames): held, in order, and recorded once the table comes. Copies, but only at a stream's start.
        private readonly Dictionary<string, Queue<byte[]>> _early = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private const int MaxEarlyFrames = 256;
        private long _frames;

        public Task Done => _done.Task;
        public long Frames => Interlocked.Read(ref _frames);
        public int StreamCount => _streams.Count;
        public long Pending { get; private set; }

        /// <summary>Closes the open chunk if it is older than the chunk duration.</summary>
        public void FlushIfDue()
        {
            lock (_gate)
            {
                writer.FlushIfDue();
            }
        }

        public void OnMessage(WireMessageKind kind, ReadOnlySpan<byte> streamName, ReadOnlyMemory<byte> payload)
        {
            lock (_gate)
            {
                Write(kind, streamName, payload);
            }
        }

        private void Write(WireMessageKind kind, ReadOnlySpan<byte> streamName, ReadOnlyMemory<byte> payload)
        {
            if (_done.Task.IsCompleted)
            {
                return;
            }
            string stream = Encoding.ASCII.GetString(streamName);
            long now = MonotonicClock.UtcNowNs();
            switch (kind)
            {
                case WireMessageKind.Meta:
                    if (_streams.Add(stream))
                    {
                        writer.AddStream(stream, CategoryTableSerializer.Read(payload).Categories, now);
                        if (_early.Remove(stream, out Queue<byte[]>? early))
                        {
                            foreach (byte[] held in early)
                            {
                                WriteFrame(stream, held);
                            }
                        }
                    }
                    break;
                case WireMessageKind.Image when _streams.Contains(stream):
                    ImageHeader image = ImageMessageSerializer.Read(payload, out ReadOnlyMemory<byte> jpeg);
                    writer.WriteImage(stream, image.Sequence, image.UtcNs, jpeg.Span);
                    _imageSize[stream] = (image.Width, image.Height);
                    break;
                case WireMessageKind.Frame when _streams.Contains(stream):
                    WriteFrame(stream, payload);
                    break;
                case WireMessageKind.Frame:
                    Queue<byte[]> queue = _early.TryGetValue(stream, out Queue<byte[]>? q) ? q : _early[stream] = new Queue<byte[]>();
                    if (queue.Count < MaxEarlyFrames)
                    {
                        queue.Enqueue(payload.ToArray());
                    }
                    else
                    {
                        Pending++;
                    }
                    break;
                case WireMessageKind.End when _streams.Contains(stream):
                    writer.WriteEnd(stream, payload.Span, now);
                    _ended.Add(stream);
                    if (_ended.IsSupersetOf(_streams))
                    {
                        _done.TrySetResult();
                    }
                    break;
            }
        }

        private void WriteFrame(string stream, ReadOnlyMemory<byte> payload)
        {
            if (_done.Task.IsCompleted)
            {
                return;
            }
            _deserializer.Read(payload, _frame);
            (int w, int h) = _imageSize.GetValueOrDefault(stream);
            writer.WriteFrame(_frame, payload.Span, w, h);
            writer.FlushIfDue();
            if (Interlocked.Increment(ref _frames) >= maxFrames)
            {
                _done.TrySetResult();
            }
        }
    }
}
