using RealtimeSeg.Frames;

namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>A producer, the indices of the streams it feeds, and the frame pool its slots come from.</summary>
internal sealed record ProducerEntry(IStreamProducer Producer, int[] Streams, FramePool Pool);
