using System.Text.Json;

namespace Sandbox.Engine.Pipeline;

/// <summary>
/// A <c>\uD800</c>–<c>\uDFFF</c> escape without its pair is valid JSON syntax but no string: System.Text.Json parses it
/// and throws only when the string is read, in whichever operation reads that field. Decoding checks every string
/// once — only for bodies that have such an escape at all. For any supplier whose requests carry JSON.
/// </summary>
public static class JsonEscapes
{
    /// <summary>Whether every string of <paramref name="root"/> (parsed from <paramref name="body"/>) can be read.</summary>
    public static bool AllPaired(ReadOnlySpan<byte> body, JsonElement root) => !MayHaveSurrogate(body) || AllPaired(root);

    /// <summary>Whether every string of <paramref name="root"/> (parsed from <paramref name="text"/>) can be read.</summary>
    public static bool AllPaired(string text, JsonElement root) =>
        !text.Contains("\\u", StringComparison.Ordinal) || AllPaired(root);

    static bool AllPaired(JsonElement root)
    {
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
