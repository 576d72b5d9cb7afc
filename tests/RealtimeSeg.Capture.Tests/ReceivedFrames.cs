using System.Threading.Channels;
using RealtimeSeg.Core;
using RealtimeSeg.Frames;

namespace RealtimeSeg.Capture.Tests;

/// <summary>Reads a source's output to the end, keeping each frame's metadata and disposing every lease.</summary>
internal sealed class ReceivedFrames
{
    public List<FrameMetadata> Metadata { get; } = [];
    public List<(int Width, int Height, int Stride)> Geometry { get; } = [];

    public int Count => Metadata.Count;

    /// <summary>
    /// Drains <paramref name="reader"/> until the writer completes. <paramref name="onFrame"/> sees each lease before
    /// it is disposed; <paramref name="holdMs"/> paces a slow consumer, <paramref name="hold"/> holds each lease until
    /// it completes (see <see cref="UntilSourceReadAhead"/>).
    /// </summary>
    public static async Task<ReceivedFrames> ReadAllAsync(
        ChannelReader<FrameLease> reader, Action<FrameLease>? onFrame = null, int holdMs = 0, Func<FrameLease, Task>? hold = null,
        CancellationToken ct = default)
    {
        var received = new ReceivedFrames();
        while (await reader.WaitToReadAsync(ct))
        {
            while (reader.TryRead(out FrameLease lease))
            {
                try
                {
                    received.Metadata.Add(lease.Metadata);
                    received.Geometry.Add((lease.Width, lease.Height, lease.Stride));
                    onFrame?.Invoke(lease);
                    if (holdMs > 0)
                    {
                        await Task.Delay(holdMs, ct);
                    }
                    if (hold is not null)
                    {
                        await hold(lease);
                    }
                }
                finally
                {
                    lease.Dispose();
                }
            }
        }
        return received;
    }

    /// <summary>
    /// A consumer that is slow by construction, not by the clock: it holds each frame until the source has read
    /// <paramref name="frames"/> more (or its run has ended), so a source that must not wait for it has to drop some —
    /// however fast or loaded the machine. Polls the source's counters, which raise no event.
    /// </summary>
    public static Func<FrameLease, Task> UntilSourceReadAhead(IFrameSource source, Task run, int frames)
        => async lease =>
        {
            long target = source.Counters.FramesRead + frames;
            while (source.Counters.FramesRead < target && !run.IsCompleted)
            {
                await Task.Delay(5);
            }
        };

    public void AssertSequenceStrictlyIncreasing()
    {
        for (int i = 1; i < Metadata.Count; i++)
        {
            Assert.True(Metadata[i].Sequence > Metadata[i - 1].Sequence,
                $"sequence went from {Metadata[i - 1].Sequence} to {Metadata[i].Sequence} at frame {i}");
        }
    }

    public void AssertTimestampsNonDecreasing()
    {
        for (int i = 1; i < Metadata.Count; i++)
        {
            Assert.True(Metadata[i].CaptureMonotonicNs >= Metadata[i - 1].CaptureMonotonicNs, $"monotonic capture time went back at frame {i}");
            Assert.True(Metadata[i].CaptureUtcNs >= Metadata[i - 1].CaptureUtcNs, $"UTC capture time went back at frame {i}");
        }
    }
}
