using RealtimeSeg.Client;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;
using RealtimeSeg.Web.Health;
using RealtimeSeg.Web.Viewer;

namespace RealtimeSeg.Cli;

/// <summary>
/// <c>realtimeseg view</c>'s bridge from a subscriber to the viewer: each frame message goes to the <see cref="ViewerHub"/>
/// as received (the browser decodes it, as for a viewer inside the pipeline) with its stream's latest camera image, and
/// each stream's figures (frames, gaps in <c>seq</c>, ended) feed <c>/readyz</c> and the page.
/// <para>The publisher sends a frame's image just before the frame (protocol v2 §7), so the latest image is the frame's
/// own; with <c>--image-every N</c> it is up to N-1 frames older. A publisher without images (<c>replay</c>, or a run
/// without <c>--publish-images</c>) gives the map on a dark background.</para>
/// <para>Threads: the <c>On…</c> handlers run on the subscriber's receive thread; <see cref="Streams"/> on request threads.</para>
/// </summary>
internal sealed class SubscriberViewerFeed : IHealthSource
{
    private readonly ViewerHub _hub;
    private readonly Lock _gate = new();
    private readonly List<FeedStream> _streams = [];

    public SubscriberViewerFeed(ViewerHub hub)
    {
        _hub = hub;
    }

    /// <summary>Any protocol message: frames go to the hub; other kinds are handled by their decoded events.</summary>
    public void OnMessage(WireMessageKind kind, ReadOnlySpan<byte> stream, ReadOnlyMemory<byte> payload)
    {
        if (kind != WireMessageKind.Frame)
        {
            return;
        }
        FeedStream s = Find(stream);
        _hub.Publish(s.Index, s.Jpeg.AsSpan(0, s.JpegLength), s.JpegWidth, s.JpegHeight, payload.Span);
    }

    /// <summary>Keeps the image as its stream's latest (copied: the bytes are only valid during the call).</summary>
    public void OnImage(in ImageHeader header, ReadOnlyMemory<byte> jpeg)
    {
        FeedStream s = Find(header.Stream);
        if (s.Jpeg.Length < jpeg.Length)
        {
            s.Jpeg = new byte[Math.Max(jpeg.Length, s.Jpeg.Length * 2)];
        }
        jpeg.Span.CopyTo(s.Jpeg);
        s.JpegLength = jpeg.Length;
        s.JpegWidth = header.Width;
        s.JpegHeight = header.Height;
    }

    public void OnCategories(CategoryTableMessage meta)
    {
        FeedStream s = Find(meta.Stream);
        _hub.SetStream(s.Index, new ViewerStreamInfo(s.Name, 0, meta.Categories));
    }

    public void OnEnd(StreamEndMessage end)
    {
        FeedStream s = Find(end.Stream);
        lock (_gate)
        {
            s.Ended = true;
        }
    }

    /// <summary>A decoded frame (the subscriber's own delivery): counts it and the frames its <c>seq</c> skipped.</summary>
    public void OnFrame(in FrameLoan frame)
    {
        FeedStream s = Find(frame.Stream);
        long seq = frame.Frame.Sequence;
        lock (_gate)
        {
            if (s.LastSequence >= 0 && seq > s.LastSequence + 1)
            {
                s.Missed += seq - s.LastSequence - 1;
            }
            s.LastSequence = seq;
            s.Frames++;
            s.Ended = false;
            s.LastFrameNs = MonotonicClock.NowNs();
        }
    }

    public IReadOnlyList<StreamHealth> Streams()
    {
        long now = MonotonicClock.NowNs();
        lock (_gate)
        {
            var list = new StreamHealth[_streams.Count];
            for (int i = 0; i < list.Length; i++)
            {
                FeedStream s = _streams[i];
                StreamState state = s.Ended ? StreamState.Ended : s.Frames > 0 ? StreamState.Running : StreamState.Connecting;
                list[i] = new StreamHealth(s.Name, state, s.Frames == 0 ? null : (now - s.LastFrameNs) / 1e9, s.Frames, s.Missed, 0, null);
            }
            return list;
        }
    }

    private FeedStream Find(ReadOnlySpan<byte> name)
    {
        lock (_gate)
        {
            foreach (FeedStream s in _streams)
            {
                if (name.SequenceEqual(s.NameBytes))
                {
                    return s;
                }
            }
        }
        return Find(System.Text.Encoding.ASCII.GetString(name));
    }

    private FeedStream Find(string name)
    {
        FeedStream? added = null;
        lock (_gate)
        {
            foreach (FeedStream s in _streams)
            {
                if (s.Name == name)
                {
                    return s;
                }
            }
            added = new FeedStream(_streams.Count, name);
            _streams.Add(added);
        }
        // A frame can come before the stream's category table: name the stream now, the table follows.
        _hub.SetStream(added.Index, new ViewerStreamInfo(name, 0, null));
        return added;
    }

    private sealed class FeedStream(int index, string name)
    {
        public int Index { get; } = index;
        public string Name { get; } = name;
        public byte[] NameBytes { get; } = System.Text.Encoding.ASCII.GetBytes(name);
        public byte[] Jpeg { get; set; } = [];
        public int JpegLength { get; set; }
        public int JpegWidth { get; set; }
        public int JpegHeight { get; set; }
        public long LastSequence { get; set; } = -1;
        public long Frames { get; set; }
        public long Missed { get; set; }
        public long LastFrameNs { get; set; }
        public bool Ended { get; set; }
    }
}
