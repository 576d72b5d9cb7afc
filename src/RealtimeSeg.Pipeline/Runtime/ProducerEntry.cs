namespace RealtimeSeg.Pipeline.Runtime;

/// <summary>A producer and the indices of the streams it feeds.</summary>
internal sealed record ProducerEntry(IStreamProducer Producer, int[] Streams);
