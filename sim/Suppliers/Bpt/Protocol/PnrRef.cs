using Sandbox.Suppliers.Bpt.Model;

namespace Sandbox.Suppliers.Bpt.Protocol;

/// <summary>
/// A PNR as the airline sees it: airline, big PNR, small PNR when known (from pnrc, the order or a fixture), the
/// fixture describing it and the order already input for it, if any.
/// </summary>
public sealed record PnrRef(string Air, string Big, string? Small, PnrFixture Fixture, BptOrder? Order)
{
    public string OrderId => BptOrder.KeyOf(Air, Big);

    /// <summary>BIG|SMALL whenever the small PNR is known, else BIG (spec §4).</summary>
    public string Display => Small is null ? Big : Big + "|" + Small;
}
