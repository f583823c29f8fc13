namespace Sandbox.Suppliers.Bpt.Protocol;

/// <summary>A decoded request: its command, its parameters and the reply format it asked for.</summary>
public sealed class BptRequest(string command, BptQuery query)
{
    public string Command { get; } = command;
    public BptQuery Query { get; } = query;
    public ReplyFormat Format { get; } = ReplyFormat.Of(query);

    /// <summary>The PNR resolution, done once (facts for rules need it before the handler runs).</summary>
    internal PnrRef? Pnr { get; set; }
}

/// <summary>A failure the command answers in its own reply shape.</summary>
public sealed class BptError(string message, bool generic = false) : Exception(message)
{
    /// <summary>Generic errors (missing parameter) use spec §4's generic shape; business errors the command's own.</summary>
    public bool Generic { get; } = generic;

    public static BptError Missing(string name) => new($"参数错误：缺少{name}", generic: true);
}
