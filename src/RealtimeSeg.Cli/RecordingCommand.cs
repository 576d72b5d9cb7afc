using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RealtimeSeg.Core;
using RealtimeSeg.Recording.Info;
using RealtimeSeg.Recording.Mcap;

namespace RealtimeSeg.Cli;

/// <summary><c>realtimeseg recording info FILE</c> and <c>realtimeseg recording recover IN OUT</c> (docs/recording.md).</summary>
internal static class RecordingCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "the .mcap recording" };
        var json = new Option<bool>("--json") { Description = "print the info as one JSON object" };
        var info = new Command("info", "streams, channels, message counts, duration, gaps and whether the file was closed cleanly") { file, json };
        info.SetAction(parse => Info(parse.GetValue(file)!, parse.GetValue(json)));

        var input = new Argument<string>("in") { Description = "a recording cut by a crash (or any recording)" };
        var output = new Argument<string>("out") { Description = "the rewritten recording, with a valid summary and index" };
        var recover = new Command("recover", "rewrite a recording a crash cut short into a valid, indexed file with every complete chunk") { input, output };
        recover.SetAction(parse => Recover(parse.GetValue(input)!, parse.GetValue(output)!));

        return new Command("recording", "inspect or repair MCAP recordings") { info, recover };
    }

    private static int Info(string path, bool json)
    {
        RecordingInfo info = Read(path);
        if (json)
        {
            WriteJson(info);
            return ExitCodes.Success;
        }
        CultureInfo inv = CultureInfo.InvariantCulture;
        Console.Out.WriteLine(string.Create(inv, $"{info.Path}: {info.FileLength} bytes, {info.MessageCount} messages in {info.ChunkCount} chunks, {info.Duration.TotalSeconds:0.###} s"));
        Console.Out.WriteLine(info.ClosedCleanly
            ? "closed cleanly (indexed)"
            : $"NOT closed cleanly: {info.NotCleanReason}; readable up to byte {info.ReadableUpTo}" + (info.NeedsRecovery ? " — run `realtimeseg recording recover IN OUT`" : ""));
        var streams = new SortedDictionary<string, List<RecordingChannelInfo>>(StringComparer.Ordinal);
        foreach (RecordingChannelInfo c in info.Channels)
        {
            string stream = Pipeline.Recorder.RecordingTopics.StreamOf(c.Topic, out _) ?? "(other)";
            (streams.TryGetValue(stream, out List<RecordingChannelInfo>? list) ? list : streams[stream] = []).Add(c);
        }
        foreach ((string stream, List<RecordingChannelInfo> channels) in streams)
        {
            Console.Out.WriteLine($"stream {stream}:");
            foreach (RecordingChannelInfo c in channels)
            {
                string schema = c.SchemaName.Length == 0 ? "no schema" : c.SchemaName;
                Console.Out.WriteLine(string.Create(inv,
                    $"  {c.Topic}  [{c.MessageEncoding}, {schema}]  {c.MessageCount} messages, median spacing {c.MedianSpacingNs / 1e6:0.#} ms, {c.Gaps.Count} gap{(c.Gaps.Count == 1 ? "" : "s")}"));
                foreach (RecordingGap gap in c.Gaps.Take(5))
                {
                    Console.Out.WriteLine(string.Create(inv, $"    gap of {gap.Duration.TotalMilliseconds:0} ms at {(gap.StartNs - info.StartTimeNs) / 1e9:0.###} s"));
                }
            }
        }
        foreach (McapProblem p in info.Problems)
        {
            Console.Out.WriteLine($"problem at byte {p.Offset}: {p.Message}");
        }
        return ExitCodes.Success;
    }

    private static int Recover(string input, string output)
    {
        if (!File.Exists(input))
        {
            throw new SourceUnavailableException(input, "no such recording");
        }
        if (Path.GetFullPath(input) == Path.GetFullPath(output))
        {
            throw new ConfigurationException("recording recover writes a new file: give OUT a different path than IN");
        }
        McapRecoveryReport r = McapRecovery.Recover(input, output);
        Console.Out.WriteLine(r.InputWasComplete
            ? $"{input} was complete; rewritten to {output}"
            : $"{input}: kept {r.MessagesKept} messages in {r.ChunksKept} chunks (complete up to byte {r.CompleteUpTo}, {r.BytesDropped} bytes after it dropped: {r.StopReason}); wrote {output}");
        foreach ((string topic, long count) in r.MessagesByTopic.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            Console.Out.WriteLine($"  {topic}: {count}");
        }
        foreach (McapProblem p in r.Problems)
        {
            Console.Out.WriteLine($"  skipped a corrupt chunk at byte {p.Offset}: {p.Message}");
        }
        return ExitCodes.Success;
    }

    private static RecordingInfo Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new SourceUnavailableException(path, "no such recording");
        }
        try
        {
            return RecordingInfo.Read(path);
        }
        catch (McapFormatException e)
        {
            throw new SourceUnavailableException(path, e.Message, e);
        }
    }

    private static void WriteJson(RecordingInfo info)
    {
        using var w = new Utf8JsonWriter(Console.OpenStandardOutput(), new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("path", info.Path);
        w.WriteNumber("bytes", info.FileLength);
        w.WriteBoolean("closed_cleanly", info.ClosedCleanly);
        w.WriteBoolean("needs_recovery", info.NeedsRecovery);
        if (info.NotCleanReason is not null)
        {
            w.WriteString("not_clean_reason", info.NotCleanReason);
        }
        w.WriteNumber("messages", info.MessageCount);
        w.WriteNumber("chunks", info.ChunkCount);
        w.WriteNumber("start_ns", info.StartTimeNs);
        w.WriteNumber("end_ns", info.EndTimeNs);
        w.WriteNumber("duration_s", Math.Round(info.Duration.TotalSeconds, 3));
        w.WriteStartArray("channels");
        foreach (RecordingChannelInfo c in info.Channels)
        {
            w.WriteStartObject();
            w.WriteString("topic", c.Topic);
            w.WriteString("stream", Pipeline.Recorder.RecordingTopics.StreamOf(c.Topic, out _));
            w.WriteString("message_encoding", c.MessageEncoding);
            w.WriteString("schema", c.SchemaName);
            w.WriteNumber("messages", c.MessageCount);
            w.WriteNumber("median_spacing_ms", Math.Round(c.MedianSpacingNs / 1e6, 3));
            w.WriteNumber("gaps", c.Gaps.Count);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        Console.Out.WriteLine();
    }
}
