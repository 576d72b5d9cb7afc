using System.Text;
using RealtimeSeg.Core;
using RealtimeSeg.Protocol;

namespace RealtimeSeg.Publishing;

/// <summary>
/// One registered stream: its topics and its serialized meta message, all made once so that sending them
/// costs no allocation. The arrays are never mutated after construction, which is what lets the publisher
/// hand them to ZeroMQ without copying.
/// </summary>
internal sealed class PublisherStream
{
    public PublisherStream(int index, string name, CategoryTable categories)
    {
        Index = index;
        Name = name;
        Categories = categories;
        FrameTopic = Encoding.ASCII.GetBytes(WireFormat.FrameTopic(name));
        MetaTopic = Encoding.ASCII.GetBytes(WireFormat.MetaTopic(name));
        ImageTopic = Encoding.ASCII.GetBytes(WireFormat.ImageTopic(name));
        EndTopic = Encoding.ASCII.GetBytes(WireFormat.EndTopic(name));
        MetaPayload = CategoryTableSerializer.ToArray(name, categories);
    }

    public int Index { get; }
    public string Name { get; }
    public CategoryTable Categories { get; }
    public byte[] FrameTopic { get; }
    public byte[] MetaTopic { get; }
    public byte[] ImageTopic { get; }
    public byte[] EndTopic { get; }
    public byte[] MetaPayload { get; }
}
