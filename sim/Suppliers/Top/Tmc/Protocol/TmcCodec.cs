using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Sandbox.Suppliers.Top.Tmc.Protocol;

/// <summary>A binary message that is not a well-formed version-2 TMC message.</summary>
public sealed class TmcFormatException(string message) : Exception(message);

/// <summary>
/// The version-2 codec of spec §3.3.2, as the public clients implement it (tmc.js lib/message.js, Java
/// MessageEncoder02 / MessageDecoder02): little-endian integers, headers until EndOfHeaders, counted UTF-8 strings
/// whose length 0 means null. The encoder writes only the value formats both clients decode: a format tmc.js does not
/// know would crash its process.
/// </summary>
public static class TmcCodec
{
    /// <summary>headerType (table B).</summary>
    static class H
    {
        public const short EndOfHeaders = 0, Custom = 1, StatusCode = 2, StatusPhrase = 3, Flag = 4, Token = 5;
    }

    /// <summary>CustomValue format (table C).</summary>
    static class F
    {
        public const byte Void = 0, CountedString = 1, Byte = 2, Int16 = 3, Int32 = 4, Int64 = 5, Date = 6, ByteArray = 7;
    }

    public static byte[] Encode(TmcFrame frame)
    {
        var w = new ArrayBufferWriter<byte>(256);
        Put(w, frame.Version);
        Put(w, (byte)frame.Type);
        // Which fixed headers travel follows MessageEncoder02: a status only when set, and StatusCode as int32 (the
        // width both decoders read).
        if (frame.StatusCode > 0)
        {
            PutInt16(w, H.StatusCode);
            PutInt32(w, frame.StatusCode);
        }
        if (!string.IsNullOrEmpty(frame.StatusPhrase))
        {
            PutInt16(w, H.StatusPhrase);
            PutString(w, frame.StatusPhrase);
        }
        if (frame.Flag > 0)
        {
            PutInt16(w, H.Flag);
            PutInt32(w, frame.Flag);
        }
        if (!string.IsNullOrEmpty(frame.Token))
        {
            PutInt16(w, H.Token);
            PutString(w, frame.Token);
        }
        foreach (var (name, value) in frame.Headers)
        {
            PutInt16(w, H.Custom);
            PutString(w, name);
            PutValue(w, value);
        }
        PutInt16(w, H.EndOfHeaders);
        return w.WrittenSpan.ToArray();
    }

    static void PutValue(ArrayBufferWriter<byte> w, object? value)
    {
        switch (value)
        {
            case null:
                Put(w, F.Void);
                break;
            case string s:
                Put(w, F.CountedString);
                PutString(w, s);
                break;
            case sbyte b:
                Put(w, F.Byte);
                Put(w, (byte)b);
                break;
            case short s:
                Put(w, F.Int16);
                PutInt16(w, s);
                break;
            case int i:
                Put(w, F.Int32);
                PutInt32(w, i);
                break;
            case long l:
                Put(w, F.Int64);
                PutInt64(w, l);
                break;
            case DateTimeOffset d:
                Put(w, F.Date);
                PutInt64(w, d.ToUnixTimeMilliseconds());
                break;
            case byte[] bytes:
                Put(w, F.ByteArray);
                PutInt32(w, bytes.Length);
                w.Write(bytes);
                break;
            default:
                throw new ArgumentException($"a TMC header value cannot be a {value.GetType().Name}", nameof(value));
        }
    }

    static void Put(ArrayBufferWriter<byte> w, byte b)
    {
        w.GetSpan(1)[0] = b;
        w.Advance(1);
    }

    static void PutInt16(ArrayBufferWriter<byte> w, short v)
    {
        BinaryPrimitives.WriteInt16LittleEndian(w.GetSpan(2), v);
        w.Advance(2);
    }

    static void PutInt32(ArrayBufferWriter<byte> w, int v)
    {
        BinaryPrimitives.WriteInt32LittleEndian(w.GetSpan(4), v);
        w.Advance(4);
    }

    static void PutInt64(ArrayBufferWriter<byte> w, long v)
    {
        BinaryPrimitives.WriteInt64LittleEndian(w.GetSpan(8), v);
        w.Advance(8);
    }

    static void PutString(ArrayBufferWriter<byte> w, string s)
    {
        var n = Encoding.UTF8.GetByteCount(s);
        PutInt32(w, n);
        Encoding.UTF8.GetBytes(s, w.GetSpan(n));
        w.Advance(n);
    }

    /// <summary>Decodes one binary WebSocket message; anything truncated or unknown is a <see cref="TmcFormatException"/>.</summary>
    public static TmcFrame Decode(ReadOnlySpan<byte> data)
    {
        var r = new Reader(data);
        var version = r.Byte();
        // Java's decoder factory takes 1 for the version-1 codec and anything else for version 2; both public clients
        // send 2, and the sandbox speaks only 2.
        if (version != 2) throw new TmcFormatException($"protocol version {version} is not supported (only 2)");
        var typeByte = r.Byte();
        if (typeByte > (byte)TmcMessageType.SendAck) throw new TmcFormatException($"unknown messageType {typeByte}");
        int status = 0, flag = 0;
        string? phrase = null, token = null;
        var headers = new List<KeyValuePair<string, object?>>();
        while (true)
        {
            var headerType = r.Int16();
            if (headerType == H.EndOfHeaders) break;
            switch (headerType)
            {
                case H.Custom:
                    var name = r.CountedString() ?? "";
                    headers.Add(new(name, r.Value()));
                    break;
                case H.StatusCode:
                    status = r.Int32();
                    break;
                case H.StatusPhrase:
                    phrase = r.CountedString();
                    break;
                case H.Flag:
                    flag = r.Int32();
                    break;
                case H.Token:
                    token = r.CountedString();
                    break;
                default:
                    throw new TmcFormatException($"unknown headerType {headerType}");
            }
        }
        if (!r.AtEnd) throw new TmcFormatException("bytes after EndOfHeaders");
        return new TmcFrame
        {
            Version = version, Type = (TmcMessageType)typeByte, StatusCode = status, StatusPhrase = phrase, Flag = flag, Token = token,
            Headers = headers,
        };
    }

    ref struct Reader(ReadOnlySpan<byte> data)
    {
        readonly ReadOnlySpan<byte> _data = data;
        int _at;

        public readonly bool AtEnd => _at == _data.Length;

        ReadOnlySpan<byte> Take(int n)
        {
            // Compared without adding to _at: a length near int.MaxValue must not wrap around and pass.
            if (n < 0 || n > _data.Length - _at) throw new TmcFormatException($"message truncated at byte {_at} (needs {n} more)");
            var s = _data.Slice(_at, n);
            _at += n;
            return s;
        }

        public byte Byte() => Take(1)[0];
        public short Int16() => BinaryPrimitives.ReadInt16LittleEndian(Take(2));
        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));
        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public string? CountedString()
        {
            var n = Int32();
            if (n < 0) throw new TmcFormatException($"negative string length {n}");
            return n == 0 ? null : Encoding.UTF8.GetString(Take(n));
        }

        public object? Value()
        {
            var format = Byte();
            return format switch
            {
                F.Void => null,
                F.CountedString => CountedString(),
                F.Byte => (sbyte)Byte(),
                F.Int16 => Int16(),
                F.Int32 => Int32(),
                F.Int64 => Int64(),
                F.Date => Date(Int64()),
                F.ByteArray => ByteArrayValue(),
                _ => throw new TmcFormatException($"unknown value format {format}"),
            };
        }

        /// <summary>A Date no calendar holds (Java would read any long) is a malformed message, not an exception from the clock types.</summary>
        static DateTimeOffset Date(long ms) =>
            ms is >= -62_135_596_800_000 and <= 253_402_300_799_999
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : throw new TmcFormatException($"Date value {ms} ms is outside years 1-9999");

        byte[] ByteArrayValue()
        {
            var n = Int32();
            if (n < 0) throw new TmcFormatException($"negative byte array length {n}");
            return Take(n).ToArray();
        }
    }
}
