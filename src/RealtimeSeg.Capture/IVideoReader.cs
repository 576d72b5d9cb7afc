using OpenCvSharp;

namespace RealtimeSeg.Capture;

/// <summary>
/// The decoder operations a video source needs, split so a frame can be consumed without being converted
/// (<see cref="Grab"/> alone) when there is no slot for it. The seam also lets tests inject decode failures into a
/// real decoder.
/// </summary>
internal interface IVideoReader : IDisposable
{
    int Width { get; }
    int Height { get; }
    double FramesPerSecond { get; }
    long? FrameCount { get; }

    /// <summary>Advances to the next frame and decodes it; false at the end of the stream or when nothing more decodes.</summary>
    bool Grab();

    /// <summary>
    /// Converts the grabbed frame to BGR into <paramref name="destination"/>, in place when its size and type match.
    /// False when the frame cannot be converted; OpenCV then releases <paramref name="destination"/>'s header.
    /// </summary>
    bool Retrieve(Mat destination);

    /// <summary>Goes back to the first frame (for looping).</summary>
    bool Rewind();
}
