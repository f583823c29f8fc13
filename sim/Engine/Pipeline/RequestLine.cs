using System.Buffers;
using System.Text;

namespace Sandbox.Engine.Pipeline;

/// <summary>
/// The path of an HTTP/1.x request line from its first bytes, however malformed the rest of the line is: enough to
/// tell which supplier a refused request was for.
/// </summary>
static class RequestLine
{
    const int MaxMethod = 16;
    const int MaxPath = 256;
    const int Window = MaxMethod + 1 + 8 + 256 + MaxPath;

    /// <summary>
    /// <paramref name="IsLine"/>: the bytes start like a request line (a method token and a space); <paramref name="Path"/>:
    /// the path (bytes as Latin-1, at most 256), null while none has arrived; <paramref name="Complete"/>: nothing more
    /// of the path can arrive.
    /// </summary>
    public readonly record struct Peeked(bool IsLine, bool Complete, string? Path);

    public static Peeked Peek(in ReadOnlySequence<byte> buffer)
    {
        Span<byte> window = stackalloc byte[Window];
        var n = (int)Math.Min(buffer.Length, Window);
        buffer.Slice(0, n).CopyTo(window);
        var head = window[..n];
        var space = head.IndexOf((byte)' ');
        var method = space < 0 ? head[..Math.Min(head.Length, MaxMethod + 1)] : head[..space];
        if (method.Length == 0 || method.Length > MaxMethod || !IsToken(method)) return default;
        if (space < 0) return new(true, false, null);

        var target = head[(space + 1)..];
        // Absolute form (GET http://host/path HTTP/1.1): the path follows the authority.
        if (target.StartsWith("http://"u8) || target.StartsWith("https://"u8))
        {
            var authority = target[(target.IndexOf("://"u8) + 3)..];
            var slash = authority.IndexOfAny("/ ?\r\n"u8);
            if (slash < 0) return new(true, n == Window, null);
            target = authority[slash] == (byte)'/' ? authority[slash..] : [];
        }
        if (target.Length == 0) return new(true, false, null);
        if (target[0] != (byte)'/') return new(true, true, null);
        var end = target.IndexOfAny(" ?#\r\n"u8);
        if (end < 0)
            return target.Length >= MaxPath ? new(true, true, Encoding.Latin1.GetString(target[..MaxPath])) : new(true, false, Encoding.Latin1.GetString(target));
        return new(true, true, Encoding.Latin1.GetString(target[..Math.Min(end, MaxPath)]));
    }

    /// <summary>RFC 9110 token characters.</summary>
    static bool IsToken(ReadOnlySpan<byte> s)
    {
        foreach (var b in s)
            if (!(char.IsAsciiLetterOrDigit((char)b) || "!#$%&'*+-.^_`|~"u8.Contains(b))) return false;
        return true;
    }
}
