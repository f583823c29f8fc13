using Sandbox.Tests.Reliability.Hostile;

namespace Sandbox.Tests.Reliability.Surfaces;

/// <summary>
/// What the reliability suite knows of one supplier: its inbound operations, a generator of hostile requests for them
/// and a checker of its reply format. A new supplier (the Fliggy pair) is one more implementation in
/// <see cref="SupplierSurfaces"/>.
/// </summary>
public interface ISupplierSurface
{
    /// <summary>The module name, as in the admin API's supplier catalogue.</summary>
    string Supplier { get; }

    /// <summary>The listener its requests go to (Listeners.Main or the supplier's own).</summary>
    string Listener { get; }

    /// <summary>Every operation an integrator (or a payment platform) sends to it.</summary>
    IReadOnlyList<string> Operations { get; }

    /// <summary>Catalogue entries that are not inbound requests (callbacks, admin actions): nothing to send to them.</summary>
    bool IsOutboundOrAdmin(string operation);

    /// <summary>One hostile request for <paramref name="operation"/>, of <paramref name="category"/> (see <see cref="Categories"/>).</summary>
    HostileRequest Generate(Random rng, string operation, string category, string host);

    /// <summary>Why <paramref name="reply"/> is not in the supplier's own format, or null.</summary>
    string? FormatProblem(HostileRequest request, HostileReply reply);
}

public static class Categories
{
    public const string Valid = "valid";
    public const string WrongType = "wrong-type";
    public const string Missing = "missing";
    public const string Duplicated = "duplicated";
    public const string CaseVaried = "case-varied";
    public const string WrongEncoding = "wrong-encoding";
    public const string Huge = "huge";
    public const string Truncated = "truncated";
    public const string Slow = "slow";
    public const string BadSignature = "bad-signature";
    public const string Replayed = "replayed";
    public const string Injection = "injection";
    public const string HeaderFlood = "header-flood";
    public const string WrongMethod = "wrong-method";

    /// <summary>Drawn with these weights: the expensive kinds (huge bodies, slow senders) are rarer.</summary>
    static readonly (string Name, int Weight)[] Weighted =
    [
        (Valid, 4), (WrongType, 12), (Missing, 10), (Duplicated, 10), (CaseVaried, 8), (WrongEncoding, 10), (Huge, 1), (Truncated, 4),
        (Slow, 1), (BadSignature, 8), (Replayed, 4), (Injection, 14), (HeaderFlood, 4), (WrongMethod, 4),
    ];

    static readonly int Total = Weighted.Sum(w => w.Weight);

    public static string Pick(Random rng)
    {
        var x = rng.Next(Total);
        foreach (var (name, weight) in Weighted)
            if ((x -= weight) < 0) return name;
        return Valid;
    }
}

public static class SupplierSurfaces
{
    /// <summary>
    /// The suppliers covered: the three HTTP suppliers, and the TOP gateway once per module whose methods it serves (Fliggy
    /// flights, the Fliggy bus's taobao.bus.*, the gateway's own taobao.tmc.*). TMC's WebSocket is <c>TmcHostileFrameTests</c>.
    /// </summary>
    public static readonly IReadOnlyList<ISupplierSurface> All =
        [new TechHouseSurface(), new BptSurface(), new YobaoxingSurface(), TopSurface.Flights(), TopSurface.Bus(), TopSurface.Tmc()];

    public static ISupplierSurface Find(string supplier) => All.Single(s => s.Supplier == supplier);
}
