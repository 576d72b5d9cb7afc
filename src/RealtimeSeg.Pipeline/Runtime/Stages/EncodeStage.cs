using System.Buffers;
using System.Threading.Channels;
using RealtimeSeg.Core;
using RealtimeSeg.Core.Sinks;
using RealtimeSeg.Protocol;

namespace RealtimeSeg.Pipeline.Runtime.Stages;

/// <summary>
/// Stage 5, serialization: each composed frame is stamped <see cref="PipelineStage.Published"/> and encoded once into its
/// wire message (docs/protocol.md), then written to <c>output</c> — the fan-out to every sink's queue — which takes over
/// this stage's reference. Asynchronous loop on the thread pool; a hand-off that waits (lockstep) waits asynchronously.
/// </summary>
internal sealed class EncodeStage
{
    private readonly StreamContext[] _streams;
    private readonly PanopticFrameSerializer _serializer;

    // The serializer asks for room for the worst case of the map encoding (4 bytes a pixel for run lengths: ~1 MB at
    // 640x360) though a real message is ~15 KB: it writes here, once, and only the bytes written are copied into the
    // frame, so composed frames' buffers stay message-sized.
    private readonly ArrayBufferWriter<byte> _scratch = new(64 * 1024);

    public EncodeStage(StreamContext[] streams, MapEncoding mapEncoding)
    {
        _streams = streams;
        _serializer = new PanopticFrameSerializer(mapEncoding);
    }

    public async Task RunAsync(ChannelReader<ComposedFrame> input, ChannelWriter<ComposedFrame> output)
    {
        Exception? failure = null;
        try
        {
            while (await input.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (input.TryRead(out ComposedFrame? frame))
                {
                    Encode(frame);
                    if (!output.TryWrite(frame))
                    {
                        await WriteOrReleaseAsync(output, frame).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            output.TryComplete(failure);
        }
    }

    private void Encode(ComposedFrame frame)
    {
        try
        {
            PanopticFrame panoptic = frame.Panoptic;
            StreamContext stream = _streams[panoptic.StreamIndex];
            if (frame.IsEndOfStream)
            {
                // Once per stream, after its last frame went through here: what it published is known now.
                panoptic.Sequence = stream.LastPublishedSequence;
                StreamEndSerializer.Write(frame.MessageWriter, new StreamEndMessage(stream.Name, panoptic.Run, frame.EndReason, stream.LastPublishedSequence, stream.FramesPublished));
                return;
            }
            // Published = handed to the sinks: the stamp travels inside the message, so it is taken just before encoding.
            long start = MonotonicClock.NowNs();
            panoptic.Stamp(PipelineStage.Published, start);
            _scratch.ResetWrittenCount();
            _serializer.Write(_scratch, panoptic);
            frame.MessageWriter.Write(_scratch.WrittenSpan);
            if (frame.JpegWidth > 0)
            {
                ImageMessageSerializer.Write(frame.ImageMessageWriter, new ImageHeader(stream.Name, panoptic.Run, panoptic.Sequence,
                    panoptic.CaptureUtcNs, panoptic.CaptureMonotonicNs, panoptic.MediaNs, frame.JpegWidth, frame.JpegHeight,
                    panoptic.ImageWidth, panoptic.ImageHeight), frame.Jpeg.Span);
            }
            frame.Work.EncodeNs = MonotonicClock.NowNs() - start;
            stream.CountPublished(panoptic.Sequence, start);
        }
        catch
        {
            frame.Release();
            throw;
        }
    }

    private static async ValueTask WriteOrReleaseAsync(ChannelWriter<ComposedFrame> output, ComposedFrame frame)
    {
        try
        {
            if (await output.WaitToWriteAsync(CancellationToken.None).ConfigureAwait(false) && output.TryWrite(frame))
            {
                return;
            }
        }
        catch
        {
            frame.Release();
            throw;
        }
        // The fan-out completed under us (a failed run): the frame never reached a sink.
        frame.Release();
    }
}
