using System.Buffers;
using OpenCvSharp;
using OpenCvSharp.Internal;
using OpenCvSharp.Internal.Vectors;

namespace RealtimeSeg.Pipeline.Runtime.Images;

/// <summary>
/// JPEG-encodes BGR images with OpenCV (libjpeg-turbo) into a reused native vector, then copies the bytes into the
/// caller's buffer: <c>Cv2.ImEncode</c> would allocate a managed array and wrapper objects per image. Not thread-safe:
/// one per thread that encodes.
/// </summary>
internal sealed class JpegEncoder : IDisposable
{
    private readonly VectorOfByte _encoded = new();
    private readonly int[] _parameters;

    public JpegEncoder(int quality)
    {
        _parameters = [(int)ImwriteFlags.JpegQuality, quality];
    }

    /// <summary>Encodes <paramref name="height"/> rows of <paramref name="stride"/> BGR bytes at <paramref name="bgr"/> and appends the JPEG to <paramref name="output"/>.</summary>
    public unsafe void Encode(IntPtr bgr, int width, int height, int stride, IBufferWriter<byte> output)
    {
        NativeMethods.HandleException(NativeMethods.core_Mat_new8(height, width, MatType.CV_8UC3, bgr, stride, out IntPtr header));
        try
        {
            NativeMethods.HandleException(NativeMethods.core_InputArray_new_byMat(header, out IntPtr input));
            try
            {
                NativeMethods.HandleException(NativeMethods.imgcodecs_imencode_vector(".jpg", input, _encoded.CvPtr, _parameters, _parameters.Length, out int ok));
                if (ok == 0)
                {
                    throw new InvalidOperationException($"OpenCV could not encode a {width}x{height} image as JPEG");
                }
            }
            finally
            {
                NativeMethods.HandleException(NativeMethods.core_InputArray_delete(input));
            }
        }
        finally
        {
            NativeMethods.HandleException(NativeMethods.core_Mat_delete(header));
        }
        int size = _encoded.Size;
        var jpeg = new ReadOnlySpan<byte>((void*)_encoded.ElemPtr, size);
        jpeg.CopyTo(output.GetSpan(size));
        output.Advance(size);
    }

    public void Dispose() => _encoded.Dispose();
}
