using RealtimeSeg.Protocol;

namespace RealtimeSeg.Client;

/// <summary>An image message: its header and the JPEG bytes, which are valid only during the call.</summary>
public delegate void ImageReceivedHandler(in ImageHeader header, ReadOnlyMemory<byte> jpeg);
