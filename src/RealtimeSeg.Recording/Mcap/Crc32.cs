namespace RealtimeSeg.Recording.Mcap;

/// <summary>
/// CRC-32 as MCAP specifies it (IEEE 802.3, reflected polynomial 0xEDB88320, the zlib/PNG CRC). Slicing-by-8, because
/// every recorded byte is checksummed twice (uncompressed for its chunk, compressed for the data section) on the
/// recording thread. <see cref="Update"/> chains like zlib's <c>crc32(crc, buf)</c>: Update(Update(0, a), b) is the CRC
/// of a followed by b.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data) => Update(0, data);

    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        uint[] t = Table;
        uint c = ~crc;
        int i = 0;
        while (data.Length - i >= 8)
        {
            uint one = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data[i..]) ^ c;
            uint two = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data[(i + 4)..]);
            c = t[(7 * 256) + (one & 0xFF)] ^ t[(6 * 256) + ((one >> 8) & 0xFF)] ^ t[(5 * 256) + ((one >> 16) & 0xFF)] ^ t[(4 * 256) + (one >> 24)]
              ^ t[(3 * 256) + (two & 0xFF)] ^ t[(2 * 256) + ((two >> 8) & 0xFF)] ^ t[256 + ((two >> 16) & 0xFF)] ^ t[two >> 24];
            i += 8;
        }
        for (; i < data.Length; i++)
        {
            c = t[(c ^ data[i]) & 0xFF] ^ (c >> 8);
        }
        return ~c;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[8 * 256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        for (int n = 0; n < 256; n++)
        {
            for (int s = 1; s < 8; s++)
            {
                uint prev = table[((s - 1) * 256) + n];
                table[(s * 256) + n] = table[prev & 0xFF] ^ (prev >> 8);
            }
        }
        return table;
    }
}
