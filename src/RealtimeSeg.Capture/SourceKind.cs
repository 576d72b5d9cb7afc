namespace RealtimeSeg.Capture;

/// <summary>The families of source URI the factory understands (see the CLI contract in DESIGN.md §5).</summary>
internal enum SourceKind
{
    /// <summary>A plain path or <c>file:PATH</c> / <c>file:///PATH</c>: a video file.</summary>
    File,

    /// <summary><c>images:DIR</c>: sorted image files.</summary>
    Images,

    /// <summary><c>rtsp://</c>, <c>rtsps://</c>, <c>http(s)://</c>, …: read through an ffmpeg child process.</summary>
    Network,

    /// <summary><c>camera:N</c> or <c>/dev/videoN</c>.</summary>
    Camera,

    /// <summary><c>synthetic:SCENE?key=value&amp;…</c>: the built-in scene generator.</summary>
    Synthetic,
}
