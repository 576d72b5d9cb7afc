using System.Buffers.Binary;

namespace RealtimeSeg.Web.Viewer;

/// <summary>
/// The binary WebSocket message that carries one frame to the browser (little-endian; docs/viewer.md):
/// <code>
///  0  u8   kind = 1 (frame)
///  1  u8   layout version = 1
///  2  u16  stream index (into the meta message's streams)
///  4  u32  JPEG length J (0: no camera image for this frame)
///  8  u32  wire message length M (the frame message of docs/protocol.md §3, unchanged)
/// 12  u16  JPEG width
/// 14  u16  JPEG height
/// 16  f64  server time when the packet was built, ms since the Unix epoch
/// 24  J bytes JPEG, then M bytes MessagePack frame message
/// </code>
/// The browser decodes the MessagePack and the map itself: the server only copies bytes it already has.
/// </summary>
internal static class ViewerPacketLayout
{
    public const int HeaderBytes = 24;
    public const byte FrameKind = 1;
    public const byte Version = 1;

    public static int Size(int jpegBytes, int messageBytes) => HeaderBytes + jpegBytes + messageBytes;

    public static void Write(Span<byte> packet, int streamIndex, ReadOnlySpan<byte> jpeg, int jpegWidth, int jpegHeight, ReadOnlySpan<byte> message, double serverUnixMs)
    {
        packet[0] = FrameKind;
        packet[1] = Version;
        BinaryPrimitives.WriteUInt16LittleEndian(packet[2..], checked((ushort)streamIndex));
        BinaryPrimitives.WriteUInt32LittleEndian(packet[4..], (uint)jpeg.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(packet[8..], (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(packet[12..], (ushort)Math.Clamp(jpegWidth, 0, ushort.MaxValue));
        BinaryPrimitives.WriteUInt16LittleEndian(packet[14..], (ushort)Math.Clamp(jpegHeight, 0, ushort.MaxValue));
        BinaryPrimitives.WriteDoubleLittleEndian(packet[16..], serverUnixMs);
        jpeg.CopyTo(packet[HeaderBytes..]);
        message.CopyTo(packet[(HeaderBytes + jpeg.Length)..]);
    }
}
