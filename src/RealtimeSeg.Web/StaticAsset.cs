namespace RealtimeSeg.Web;

/// <summary>One embedded file of the viewer: its bytes, content type and ETag.</summary>
internal sealed record StaticAsset(byte[] Content, string ContentType, string ETag);
