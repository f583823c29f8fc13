namespace Sandbox.Suppliers.Top.Tmc.Protocol;

/// <summary>messageType (spec §3.3.2 table A).</summary>
public enum TmcMessageType : byte
{
    Connect = 0,
    ConnectAck = 1,
    Send = 2,
    SendAck = 3,
}

/// <summary>The <c>__kind</c> custom header of SEND / SENDACK (spec §3.3.3).</summary>
public static class TmcKind
{
    public const string Header = "__kind";
    public const sbyte PullRequest = 1;
    public const sbyte Confirm = 2;
    public const sbyte Data = 3;
    public const sbyte Failed = 20;
}

/// <summary>
/// One binary TMC message (protocol version 2): the fixed headers and the custom headers in the order they travel.
/// Custom values are null (Void), string, sbyte, short, int, long, DateTimeOffset (Date) or byte[] (ByteArray).
/// </summary>
public sealed class TmcFrame
{
    public byte Version { get; init; } = 2;
    public TmcMessageType Type { get; init; }
    public int StatusCode { get; init; }
    public string? StatusPhrase { get; init; }
    public int Flag { get; init; }
    public string? Token { get; init; }
    public List<KeyValuePair<string, object?>> Headers { get; init; } = [];

    public TmcFrame With(string name, object? value)
    {
        Headers.Add(new(name, value));
        return this;
    }

    public object? this[string name]
    {
        get
        {
            foreach (var (k, v) in Headers)
                if (k == name) return v;
            return null;
        }
    }

    /// <summary>An integer header in whatever width the client chose (tmc.js picks the narrowest), or a decimal string.</summary>
    public long? Integer(string name) => this[name] switch
    {
        sbyte b => b,
        short s => s,
        int i => i,
        long l => l,
        string text when long.TryParse(text.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    public string? Text(string name) => this[name] as string;
}
