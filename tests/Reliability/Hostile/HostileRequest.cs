namespace Sandbox.Tests.Reliability.Hostile;

/// <summary>How the request's bytes reach the server.</summary>
public enum Delivery
{
    /// <summary>All at once.</summary>
    Whole,
    /// <summary>
    /// The body stops short of its Content-Length and the client waits: the server's body timeout answers. (A client that
    /// half-closes instead gets no answer from Kestrel, which takes the FIN for the client leaving.)
    /// </summary>
    Truncated,
    /// <summary>The body arrives in small pieces with pauses (a slow mobile sender), within the server's grace period.</summary>
    Slow,
}

/// <summary>One generated input: the exact bytes of an HTTP/1.1 request, what kind of hostility it carries, and how to send it.</summary>
public sealed record HostileRequest(string Category, string Operation, byte[] Bytes, Delivery Delivery = Delivery.Whole)
{
    /// <summary>What the supplier's format checker needs to know about the request (e.g. BPT's fmt=json).</summary>
    public IReadOnlyDictionary<string, string> Hints { get; init; } = new Dictionary<string, string>();

    public string Describe(int max = 300)
    {
        var text = System.Text.Encoding.Latin1.GetString(Bytes, 0, Math.Min(Bytes.Length, max));
        return $"[{Category}] {Operation}: {text.Replace("\r\n", "⏎")}{(Bytes.Length > max ? $"… ({Bytes.Length} bytes)" : "")}";
    }
}

/// <summary>A reply as read from the socket: null status when the server closed without answering.</summary>
public sealed record HostileReply(int? Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string ContentType => Headers.GetValueOrDefault("content-type") ?? "";
}
