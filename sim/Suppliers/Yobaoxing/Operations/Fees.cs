using Sandbox.Suppliers.Yobaoxing.Catalog;
using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>
/// Penalty (breach) fees, spec §3.5 (sandbox matching rule, docs/suppliers/yobaoxing.md): a feeitem applies when the
/// breach happens fewer than <c>unitcount</c> units (D calendar days, H hours) before the reference time (the
/// effective date, or the session start for theatre orders); of the applicable items the one with the smallest
/// unitcount wins. Mode A charges feevalue percent of the breached tickets' price, mode B feevalue yuan per ticket.
/// Counter-pay orders never pay a penalty.
/// </summary>
static class Fees
{
    public static decimal For(YobaoxingCall call, TicketOrder order, OrderLine line, int tickets) =>
        For(call.Settings, call.Catalog, call.Now, order, line, tickets);

    public static decimal For(YobaoxingSettings settings, TicketCatalog catalog, DateTimeOffset at, TicketOrder order, OrderLine line, int tickets)
    {
        if (tickets <= 0 || order.PayMethod is PayMethod.Counter or PayMethod.None) return 0;
        if (settings.Str("feemode", "1") != "1") return 0;
        var reference = Reference(catalog, order, at);
        var items = catalog.Fees.Where(f => f.ProductId.Equals(line.ProductId, StringComparison.OrdinalIgnoreCase)).ToList();
        var now = at.ToOffset(YobaoxingServices.China);
        var applicable = items.Where(f => f.Unit == "H"
                ? (reference - now).TotalHours < f.UnitCount
                : DateOnly.FromDateTime(reference.DateTime).DayNumber - DateOnly.FromDateTime(now.DateTime).DayNumber < f.UnitCount)
            .OrderBy(f => f.UnitCount)
            .FirstOrDefault();
        if (applicable is null) return 0;
        var fee = applicable.FeeCalMode == "A" ? line.Price * tickets * applicable.FeeValue / 100m : applicable.FeeValue * tickets;
        return Math.Round(Math.Min(fee, line.Price * tickets), 2);
    }

    public static decimal ForUndelivered(YobaoxingSettings settings, TicketCatalog catalog, DateTimeOffset at, TicketOrder order) =>
        order.Lines.Sum(l => For(settings, catalog, at, order, l, l.Num - l.DealNum));

    static DateTimeOffset Reference(TicketCatalog catalog, TicketOrder order, DateTimeOffset at)
    {
        var date = Products.ParseDate(order.Sxrq) ?? YobaoxingServices.Today(at);
        var time = TimeOnly.MinValue;
        if (order.Theatre && catalog.Sence(order.SenceId) is { } s && s.Sence.Start.Length == 4)
            time = new TimeOnly(int.Parse(s.Sence.Start[..2]), int.Parse(s.Sence.Start[2..]));
        return new DateTimeOffset(date.ToDateTime(time), YobaoxingServices.China);
    }
}
