using System.Text.Json;

namespace Sandbox.Suppliers.TechHouse.Protocol;

/// <summary>
/// A <c>\uD800</c>–<c>\uDFFF</c> escape without its pair is valid JSON syntax but no string: System.Text.Json parses it
/// and throws only when the string is read, in whichever operation reads that field. Decoding checks every string
/// once — only for bodies that have such an escape at all.
/// </summary>
static class Utf16Escapes
{
    public static bool AllPaired(ReadOnlySpan<byte> body, JsonElement root)
    {
        if (!MayHaveSurrogate(body)) return true;
        try
        {
            Read(root);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    static bool MayHaveSurrogate(ReadOnlySpan<byte> body)
    {
        int at;
        while ((at = body.IndexOf("\\u"u8)) >= 0 && at + 3 < body.Length)
        {
            if ((body[at + 2] | 0x20) == 'd' && "89abcdefABCDEF"u8.Contains(body[at + 3])) return true;
            body = body[(at + 2)..];
        }
        return false;
    }

    static void Read(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    _ = p.Name;
                    Read(p.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray()) Read(item);
                break;
            case JsonValueKind.String:
                _ = e.GetString();
                break;
        }
    }
}
