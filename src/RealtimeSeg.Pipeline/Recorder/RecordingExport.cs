using System.Globalization;
using RealtimeSeg.Core;
using RealtimeSeg.Formats.Mot;
using RealtimeSeg.Formats.Panoptic;
using RealtimeSeg.Protocol;
using RealtimeSeg.Recording.Mcap;

namespace RealtimeSeg.Pipeline.Recorder;

/// <summary>
/// A stream of a recording in the files the evaluators read — exactly what <c>--dump-mot</c> and
/// <c>--dump-panoptic</c> would have written during the run (frame <c>seq</c> → MOT frame and COCO image <c>seq + 1</c>),
/// since they are made from the same wire messages. So a recorded run is scored by <c>eval</c> without dump flags.
/// </summary>
public static class RecordingExport
{
    /// <summary>The stream to read: <paramref name="stream"/>, or the recording's only stream (an error names them when there are several).</summary>
    public static string ResolveStream(string path, string? stream)
    {
        using McapReader reader = Open(path);
        var streams = new SortedSet<string>(StringComparer.Ordinal);
        foreach (McapChannel c in reader.Channels.Values)
        {
            if (RecordingTopics.StreamOf(c.Topic, out string kind) is { } s && kind == "panoptic")
            {
                streams.Add(s);
            }
        }
        if (stream is not null)
        {
            return streams.Contains(stream) ? stream : throw new ConfigurationException($"{path}: no stream '{stream}' in the recording (it has: {string.Join(", ", streams)})");
        }
        return streams.Count switch
        {
            1 => streams.Min!,
            0 => throw new SourceUnavailableException(path, "no RealtimeSeg frames in this recording (no /realtimeseg/<stream>/panoptic channel)"),
            _ => throw new ConfigurationException($"{path} holds several streams ({string.Join(", ", streams)}); choose one with --stream"),
        };
    }

    /// <summary>Writes the stream's tracked things as a MOTChallenge tracker file.</summary>
    public static long WriteMot(string path, string stream, string motPath)
    {
        using MotTrackWriter mot = MotTrackWriter.Create(motPath);
        long frames = 0;
        foreach (PanopticFrame frame in Frames(path, stream, out _))
        {
            int number = checked((int)frame.Sequence + 1);
            foreach (ref readonly PanopticSegment s in frame.Segments)
            {
                if (s.IsThing && s.TrackId > 0)
                {
                    mot.WriteTrack(number, s.TrackId, s.BboxX, s.BboxY, s.BboxWidth, s.BboxHeight, s.Score);
                }
            }
            frames++;
        }
        mot.Flush();
        return frames;
    }

    /// <summary>Writes the stream as COCO panoptic: <c>DIR/panoptic.json</c> and <c>DIR/panoptic/NNNNNN.png</c>.</summary>
    public static long WritePanoptic(string path, string stream, string directory)
    {
        CocoPanopticWriter? writer = null;
        long frames = 0;
        foreach (PanopticFrame frame in Frames(path, stream, out CategoryTable? categories))
        {
            writer ??= new CocoPanopticWriter(Path.Combine(directory, "panoptic.json"), categories!, Path.Combine(directory, "panoptic"));
            int number = checked((int)frame.Sequence + 1);
            string name = number.ToString("D6", CultureInfo.InvariantCulture) + ".png";
            writer.Add(frame, new CocoImage(CocoImageId.FromNumber(number), name, frame.ImageWidth, frame.ImageHeight));
            frames++;
        }
        writer?.Save();
        return frames;
    }

    /// <summary>The stream's frames in recorded order (one reused frame); <paramref name="categories"/> is its table once the first frame comes.</summary>
    private static IEnumerable<PanopticFrame> Frames(string path, string stream, out CategoryTable? categories)
    {
        McapReader reader = Open(path);
        categories = null;
        foreach (McapMessage m in reader.ReadMessages([RecordingTopics.Meta(stream)]))
        {
            categories = CategoryTableSerializer.Read(m.Data).Categories;
            break;
        }
        if (categories is null)
        {
            reader.Dispose();
            throw new SourceUnavailableException(path, $"stream '{stream}' has no category table in the recording");
        }
        return Read(reader, stream);
    }

    private static IEnumerable<PanopticFrame> Read(McapReader reader, string stream)
    {
        using (reader)
        {
            var frame = new PanopticFrame();
            var deserializer = new PanopticFrameDeserializer();
            foreach (McapMessage m in reader.ReadMessages([RecordingTopics.Panoptic(stream)]))
            {
                deserializer.Read(m.Data, frame);
                yield return frame;
            }
        }
    }

    private static McapReader Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new SourceUnavailableException(path, "no such recording");
        }
        McapReader reader;
        try
        {
            reader = McapReader.Open(path);
        }
        catch (McapFormatException e)
        {
            throw new SourceUnavailableException(path, e.Message, e);
        }
        if (!reader.IsIndexed)
        {
            string why = reader.NotIndexedReason ?? "no index";
            reader.Dispose();
            throw new SourceUnavailableException(path, $"the recording was not closed cleanly ({why}); run `realtimeseg recording recover {path} FIXED.mcap` first");
        }
        return reader;
    }
}
