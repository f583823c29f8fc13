using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Sandbox.Suppliers.Top.Protocol;

/// <summary>
/// gzip (RFC 1952) for replies: a body compressed whole, or one member joined from a written body and pieces deflated
/// once beforehand — the body's own bytes go as stored blocks around each piece's deflate blocks (which end on a sync
/// flush, so they join at a byte boundary), then an empty final block; the trailer's CRC-32 and length are those of the
/// whole text, the CRC combined from the parts'. Any gzip reader reads it as one stream.
/// </summary>
static class GzipMember
{
    /// <summary>A piece deflated once: its raw deflate blocks, the CRC-32 and length of its text.</summary>
    public readonly record struct Deflated(byte[] Blocks, uint Crc, int Length);

    /// <summary>A deflated piece that takes the place of the one stand-in byte at <paramref name="At"/> of a body.</summary>
    public readonly record struct Piece(int At, Deflated Value);

    public static byte[] Of(ReadOnlySpan<byte> body)
    {
        using var output = new MemoryStream(body.Length / 4 + 64);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(body);
        return output.ToArray();
    }

    /// <summary>Text as raw deflate blocks ending on a sync flush (not final): joinable into <see cref="Joined"/>.</summary>
    public static Deflated Deflate(byte[] text)
    {
        var output = new MemoryStream(text.Length / 4 + 64);
        var deflate = new DeflateStream(output, CompressionLevel.Fastest, leaveOpen: true);
        deflate.Write(text);
        deflate.Flush();
        var blocks = output.ToArray();
        deflate.Dispose(); // its final block goes after what was taken
        return new Deflated(blocks, Crc32.HashToUInt32(text), text.Length);
    }

    public static byte[] Joined(ReadOnlySpan<byte> body, IReadOnlyList<Piece> pieces)
    {
        var capacity = body.Length + 64;
        foreach (var p in pieces) capacity += p.Value.Blocks.Length;
        var output = new ArrayBufferWriter<byte>(capacity);
        output.Write<byte>([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
        uint crc = 0;
        long size = 0;
        var from = 0;
        foreach (var (at, value) in pieces)
        {
            crc = Stored(output, crc, body[from..at]);
            output.Write(value.Blocks);
            crc = Crc32Combine(crc, value.Crc, value.Length);
            size += at - from + value.Length;
            from = at + 1;
        }
        crc = Stored(output, crc, body[from..]);
        size += body.Length - from;
        output.Write<byte>([1, 0, 0, 0xff, 0xff]);
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], (uint)size);
        output.Write(trailer);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Bytes as non-final stored deflate blocks (at most 65,535 each); answers the CRC-32 continued over them.</summary>
    static uint Stored(ArrayBufferWriter<byte> output, uint crc, ReadOnlySpan<byte> bytes)
    {
        crc = Crc32Combine(crc, Crc32.HashToUInt32(bytes), bytes.Length);
        var rest = bytes;
        while (rest.Length > 0)
        {
            var n = Math.Min(rest.Length, ushort.MaxValue);
            output.Write<byte>([0, (byte)n, (byte)(n >> 8), (byte)~n, (byte)(~n >> 8)]);
            output.Write(rest[..n]);
            rest = rest[n..];
        }
        return crc;
    }

    // CRC-32 of A followed by B from CRC(A), CRC(B) and B's length: GF(2) polynomial arithmetic as zlib's crc32_combine.
    const uint CrcPoly = 0xedb88320;
    static readonly uint[] X2n = MakeX2n();

    static uint[] MakeX2n()
    {
        var table = new uint[32];
        var p = 1u << 30; // x^1
        table[0] = p;
        for (var n = 1; n < 32; n++) table[n] = p = MultModP(p, p);
        return table;
    }

    static uint MultModP(uint a, uint b)
    {
        var m = 1u << 31;
        var p = 0u;
        while (true)
        {
            if ((a & m) != 0)
            {
                p ^= b;
                if ((a & (m - 1)) == 0) break;
            }
            m >>= 1;
            b = (b & 1) != 0 ? (b >> 1) ^ CrcPoly : b >> 1;
        }
        return p;
    }

    static uint Crc32Combine(uint crc1, uint crc2, long length2)
    {
        if (length2 == 0) return crc1;
        var p = 1u << 31; // x^0
        var k = 3;        // x^(8 * length2): bytes to bits
        for (var n = length2; n != 0; n >>= 1, k++)
            if ((n & 1) != 0) p = MultModP(X2n[k & 31], p);
        return MultModP(p, crc1) ^ crc2;
    }
}
