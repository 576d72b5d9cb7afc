using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace RealtimeSeg.Inference.Diagnostics;

/// <summary>
/// Writes NumPy .npy files (format 1.0, little-endian, C order), so raw model outputs can be checked by a numpy
/// script written from a format's definition rather than from this code.
/// </summary>
public static class NpyWriter
{
    public static void Write(string path, ReadOnlySpan<float> data, IReadOnlyList<long> shape) => Write(path, MemoryMarshal.AsBytes(data), "<f4", shape);

    public static void Write(string path, ReadOnlySpan<long> data, IReadOnlyList<long> shape) => Write(path, MemoryMarshal.AsBytes(data), "<i8", shape);

    private static void Write(string path, ReadOnlySpan<byte> bytes, string dtype, IReadOnlyList<long> shape)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("npy output is written little-endian only");
        }
        var dims = new StringBuilder();
        foreach (long d in shape)
        {
            dims.Append(d.ToString(CultureInfo.InvariantCulture)).Append(", ");
        }
        if (shape.Count > 1)
        {
            dims.Length -= 1; // numpy writes "(2, 3)" but "(5,)" for one dimension
        }
        string header = $"{{'descr': '{dtype}', 'fortran_order': False, 'shape': ({dims.ToString().TrimEnd()}), }}";
        // Magic (6) + version (2) + length (2) + header + '\n' is padded to a multiple of 64 bytes.
        int total = 10 + header.Length + 1;
        int padded = (total + 63) / 64 * 64;
        header = header.PadRight(header.Length + padded - total) + "\n";
        using FileStream f = File.Create(path);
        f.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        f.Write(BitConverter.GetBytes((ushort)header.Length));
        f.Write(Encoding.ASCII.GetBytes(header));
        f.Write(bytes);
    }
}
