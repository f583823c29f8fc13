using System.Buffers.Binary;
using System.Text;

namespace Sandbox.LoadTests.Protocol;

/// <summary>
/// The TMC binary message as a client sees it (the TMC tests' client and the load generator's consumer), written from
/// the protocol description (docs/suppliers/tmc.md) and independent of the server's codec: version byte, messageType
/// byte, then int16 header types (little-endian) until 0.
/// </summary>
public sealed class TmcWire
{
    public byte Version = 2;
    public byte Type;
    public int StatusCode;
    public string? StatusPhrase;
    public int Flag;
    public string? Token;
    public List<(string Name, object? Value)> Headers = [];

    public const byte Connect = 0, ConnectAck = 1, Send = 2, SendAck = 3;

    public TmcWire Add(string name, object? value)
    {
        Headers.Add((name, value));
        return this;
    }

    public object? this[string name] => Headers.FirstOrDefault(h => h.Name == name).Value;

    public byte[] Encode()
    {
        var b = new List<byte> { Version, Type };
        if (StatusCode > 0) { Short(b, 2); Int(b, StatusCode); }
        if (!string.IsNullOrEmpty(StatusPhrase)) { Short(b, 3); Str(b, StatusPhrase); }
        if (Flag > 0) { Short(b, 4); Int(b, Flag); }
        if (!string.IsNullOrEmpty(Token)) { Short(b, 5); Str(b, Token); }
        foreach (var (name, value) in Headers)
        {
            Short(b, 1);
            Str(b, name);
            switch (value)
            {
                case null: b.Add(0); break;
                case string s: b.Add(1); Str(b, s); break;
                case sbyte v: b.Add(2); b.Add((byte)v); break;
                case short v: b.Add(3); Short(b, v); break;
                case int v: b.Add(4); Int(b, v); break;
                case long v: b.Add(5); Long(b, v); break;
                case DateTimeOffset v: b.Add(6); Long(b, v.ToUnixTimeMilliseconds()); break;
                case byte[] v: b.Add(7); Int(b, v.Length); b.AddRange(v); break;
                default: throw new ArgumentException(value.GetType().Name);
            }
        }
        Short(b, 0);
        return [.. b];
    }

    static void Short(List<byte> b, short v) { var x = new byte[2]; BinaryPrimitives.WriteInt16LittleEndian(x, v); b.AddRange(x); }
    static void Int(List<byte> b, int v) { var x = new byte[4]; BinaryPrimitives.WriteInt32LittleEndian(x, v); b.AddRange(x); }
    static void Long(List<byte> b, long v) { var x = new byte[8]; BinaryPrimitives.WriteInt64LittleEndian(x, v); b.AddRange(x); }

    static void Str(List<byte> b, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        Int(b, bytes.Length);
        b.AddRange(bytes);
    }

    /// <summary>Decodes as tmc.js's Decoder does, failing on any header type or value format it would not know.</summary>
    public static TmcWire Decode(byte[] data)
    {
        var at = 0;
        byte U8() => data[at++];
        short I16() { var v = BinaryPrimitives.ReadInt16LittleEndian(data.AsSpan(at)); at += 2; return v; }
        int I32() { var v = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(at)); at += 4; return v; }
        long I64() { var v = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(at)); at += 8; return v; }
        string? S() { var n = I32(); if (n == 0) return null; var s = Encoding.UTF8.GetString(data, at, n); at += n; return s; }

        var m = new TmcWire { Version = U8(), Type = U8() };
        while (true)
        {
            var t = I16();
            if (t == 0) break;
            switch (t)
            {
                case 1:
                    var name = S()!;
                    var format = U8();
                    object? value = format switch
                    {
                        0 => null,
                        1 => S(),
                        2 => (sbyte)U8(),
                        3 => I16(),
                        4 => I32(),
                        5 => I64(),
                        6 => DateTimeOffset.FromUnixTimeMilliseconds(I64()),
                        7 => data.AsSpan(at, I32()).ToArray(),
                        _ => throw new InvalidDataException($"value format {format} would crash tmc.js (parse{format} is not a function)"),
                    };
                    if (format == 7) at += ((byte[])value!).Length;
                    m.Headers.Add((name, value));
                    break;
                case 2: m.StatusCode = I32(); break;
                case 3: m.StatusPhrase = S(); break;
                case 4: m.Flag = I32(); break;
                case 5: m.Token = S(); break;
                default: throw new InvalidDataException($"header type {t} would crash tmc.js (pick{t} is not a function)");
            }
        }
        if (at != data.Length) throw new InvalidDataException("bytes after EndOfHeaders");
        return m;
    }

    public static string Hex(byte[] b) => Convert.ToHexString(b).ToLowerInvariant();
}
