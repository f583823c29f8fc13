namespace Sandbox.Suppliers.Yobaoxing.Imaging;

/// <summary>
/// A baseline (sequential, Huffman) JPEG encoder for 8-bit grayscale images, with the standard luminance tables of
/// ITU-T T.81 Annex K: the ticket images of GetTicketContext are real JPEG files any decoder reads, made without an
/// imaging package. Width and height must be multiples of 8 (the ticket layout is).
/// </summary>
public static class BaselineJpeg
{
    static readonly int[] ZigZag =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    static readonly int[] Luminance =
    [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ];

    static readonly byte[] DcBits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    static readonly byte[] DcValues = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    static readonly byte[] AcBits = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
    static readonly byte[] AcValues =
    [
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08,
        0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59,
        0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
        0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6,
        0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
        0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
    ];

    static readonly (int Code, int Length)[] DcCodes = Codes(DcBits, DcValues);
    static readonly (int Code, int Length)[] AcCodes = Codes(AcBits, AcValues);

    /// <summary>cos((2x+1)uπ/16) for x, u in 0..7.</summary>
    static readonly double[,] Cos = CosTable();

    static (int, int)[] Codes(byte[] bits, byte[] values)
    {
        var table = new (int, int)[256];
        int code = 0, k = 0;
        for (var length = 1; length <= 16; length++)
        {
            for (var i = 0; i < bits[length - 1]; i++) table[values[k++]] = (code++, length);
            code <<= 1;
        }
        return table;
    }

    static double[,] CosTable()
    {
        var t = new double[8, 8];
        for (var x = 0; x < 8; x++)
        for (var u = 0; u < 8; u++)
            t[x, u] = Math.Cos((2 * x + 1) * u * Math.PI / 16);
        return t;
    }

    /// <summary>Encodes row-major 8-bit gray <paramref name="pixels"/> at <paramref name="quality"/> (1–100).</summary>
    public static byte[] Encode(byte[] pixels, int width, int height, int quality = 90)
    {
        if (width % 8 != 0 || height % 8 != 0 || pixels.Length != width * height) throw new ArgumentException("width and height must be multiples of 8");
        var scale = quality < 50 ? 5000 / quality : 200 - 2 * quality;
        var q = Luminance.Select(v => Math.Clamp((v * scale + 50) / 100, 1, 255)).ToArray();
        var o = new MemoryStream();
        o.Write([0xFF, 0xD8]);
        o.Write([0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
        o.Write([0xFF, 0xDB, 0x00, 0x43, 0x00]);
        for (var k = 0; k < 64; k++) o.WriteByte((byte)q[ZigZag[k]]);
        o.Write([0xFF, 0xC0, 0x00, 0x0B, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 0x01, 0x01, 0x11, 0x00]);
        WriteHuffman(o, 0x00, DcBits, DcValues);
        WriteHuffman(o, 0x10, AcBits, AcValues);
        o.Write([0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]);
        var bits = new BitWriter(o);
        var block = new double[64];
        var coefficients = new int[64];
        var previousDc = 0;
        for (var by = 0; by < height; by += 8)
        for (var bx = 0; bx < width; bx += 8)
        {
            for (var y = 0; y < 8; y++)
            for (var x = 0; x < 8; x++)
                block[y * 8 + x] = pixels[(by + y) * width + bx + x] - 128.0;
            Transform(block, q, coefficients);
            previousDc = EncodeBlock(bits, coefficients, previousDc);
        }
        bits.Flush();
        o.Write([0xFF, 0xD9]);
        return o.ToArray();
    }

    static void WriteHuffman(Stream o, byte classAndId, byte[] bits, byte[] values)
    {
        var length = 2 + 1 + 16 + values.Length;
        o.Write([0xFF, 0xC4, (byte)(length >> 8), (byte)length, classAndId]);
        o.Write(bits);
        o.Write(values);
    }

    /// <summary>Forward DCT and quantisation, coefficients in zig-zag order.</summary>
    static void Transform(double[] block, int[] q, int[] zigzagged)
    {
        for (var v = 0; v < 8; v++)
        for (var u = 0; u < 8; u++)
        {
            var sum = 0.0;
            for (var y = 0; y < 8; y++)
            for (var x = 0; x < 8; x++)
                sum += block[y * 8 + x] * Cos[x, u] * Cos[y, v];
            var cu = u == 0 ? Math.Sqrt(0.5) : 1.0;
            var cv = v == 0 ? Math.Sqrt(0.5) : 1.0;
            var natural = v * 8 + u;
            var value = (int)Math.Round(0.25 * cu * cv * sum / q[natural]);
            zigzagged[Array.IndexOf(ZigZag, natural)] = value;
        }
    }

    static int EncodeBlock(BitWriter bits, int[] c, int previousDc)
    {
        var diff = c[0] - previousDc;
        var size = Magnitude(diff);
        bits.Write(DcCodes[size]);
        if (size > 0) bits.Write(Amplitude(diff, size), size);
        var run = 0;
        for (var k = 1; k < 64; k++)
        {
            if (c[k] == 0)
            {
                run++;
                continue;
            }
            while (run > 15)
            {
                bits.Write(AcCodes[0xF0]);
                run -= 16;
            }
            var s = Magnitude(c[k]);
            bits.Write(AcCodes[(run << 4) | s]);
            bits.Write(Amplitude(c[k], s), s);
            run = 0;
        }
        if (run > 0) bits.Write(AcCodes[0x00]);
        return c[0];
    }

    static int Magnitude(int v)
    {
        v = Math.Abs(v);
        var n = 0;
        while (v > 0)
        {
            n++;
            v >>= 1;
        }
        return n;
    }

    /// <summary>Negative values are sent as the low bits of (value − 1), as T.81 F.1.2.1 has it.</summary>
    static int Amplitude(int v, int size) => v >= 0 ? v : (v - 1) & ((1 << size) - 1);

    sealed class BitWriter(Stream o)
    {
        int _buffer;
        int _count;

        public void Write((int Code, int Length) code) => Write(code.Code, code.Length);

        public void Write(int value, int length)
        {
            for (var i = length - 1; i >= 0; i--)
            {
                _buffer = (_buffer << 1) | ((value >> i) & 1);
                if (++_count == 8) Emit();
            }
        }

        void Emit()
        {
            o.WriteByte((byte)_buffer);
            // A 0xFF in entropy-coded data is followed by a stuffed zero so that it is not read as a marker.
            if (_buffer == 0xFF) o.WriteByte(0);
            _buffer = 0;
            _count = 0;
        }

        /// <summary>Pads the last byte with 1-bits.</summary>
        public void Flush()
        {
            while (_count != 0) Write(1, 1);
        }
    }
}
