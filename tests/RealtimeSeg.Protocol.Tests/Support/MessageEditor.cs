using MessagePack;
using MessagePack.Resolvers;

namespace RealtimeSeg.Protocol.Tests.Support;

/// <summary>
/// Decodes a payload into plain objects (maps as Dictionary&lt;object, object&gt;, arrays as object[]), lets a test
/// change it the way a foreign or broken publisher would, and encodes it again with MessagePack's generic
/// formatter — independent of the code under test.
/// </summary>
public static class MessageEditor
{
    private static readonly MessagePackSerializerOptions Options = ContractlessStandardResolver.Options;

    public static Dictionary<object, object> Decode(ReadOnlyMemory<byte> payload)
        => MessagePackSerializer.Deserialize<Dictionary<object, object>>(payload, Options);

    public static byte[] Encode(object message) => MessagePackSerializer.Serialize(message, Options);

    public static byte[] Edit(ReadOnlyMemory<byte> payload, Action<Dictionary<object, object>> edit)
    {
        Dictionary<object, object> message = Decode(payload);
        edit(message);
        return Encode(message);
    }

    public static Dictionary<object, object> Segment(Dictionary<object, object> message, int index)
        => (Dictionary<object, object>)((object[])message["segs"])[index];
}
