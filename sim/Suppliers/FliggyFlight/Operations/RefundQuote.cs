using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.FliggyFlight.Protocol;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyFlight.Operations;

/// <summary>What refund.render pre-computes and refund.create recomputes, so that both always agree (spec §2.9–2.10).</summary>
sealed record RefundQuote(string? RefuseReason, IReadOnlyList<RefundItem> Items, bool CalculateSuccess)
{
    public static readonly int[] ApplyTypes = [1, 2, 3, 4, 100];

    public bool CanRefund => RefuseReason is null;
    public decimal AllRefundFee => Items.Sum(i => i.RefundFee);
    public decimal RefundAmount => Items.Sum(i => i.RefundAmount);

    /// <summary>Attachments prove illness (3) and denied boarding (4).</summary>
    public static bool NeedsAttachment(int applyType) => applyType is 3 or 4;

    /// <summary>
    /// Voluntary refunds (1) cost a share of the sell price by time before departure (the <c>refundFees</c> table;
    /// <c>noShowRate</c> once departed), rounded to whole yuan, taxes refunded in full; involuntary ones (2, 3, 4, 100)
    /// are not pre-calculated: their fee is fixed at audit (0 when approved).
    /// </summary>
    public static RefundQuote For(FlightCall call, FlightOrder order, int applyType, IReadOnlyList<JsonFields> passengers)
    {
        if (!ApplyTypes.Contains(applyType)) throw FlightError.ParamError("refund_apply_type is 1, 2, 3, 4 or 100");
        if (passengers.Count == 0) throw TopError.MissingArgument("refund_passenger_list");
        var items = new List<RefundItem>();
        string? refuse = order.Status == OrderStatus.Ticketed ? null : "订单未出票，不可退票";
        var voluntary = applyType == 1;
        foreach (var pf in passengers)
        {
            var name = pf.Str("passenger_name", required: true)!;
            var p = order.Passenger(name, pf.Str("credential_no", required: true)!)
                    ?? throw FlightError.ParamError($"{pf.Path}: {name} is not a passenger of the order");
            if (refuse is null && p.TicketStatus != TicketStatus.Ticketed) refuse = $"该客票不可退（{name}: {p.TicketStatus}）";
            if (refuse is null && HasOpenChange(call, order, p)) refuse = $"该客票有未完成的改签单（{name}）";
            var wanted = pf.Strings("flight_segment_id_list");
            var unknown = wanted.FirstOrDefault(id => order.Segments.All(s => s.SegmentId != id));
            if (unknown is not null) throw FlightError.ParamError($"{pf.Path}: {unknown} is not a segment of the order");
            foreach (var seg in order.Segments.Where(s => wanted.Count == 0 || wanted.Contains(s.SegmentId)))
            {
                var fare = seg.Prices.For(p.Type);
                var fee = 0m;
                if (voluntary)
                {
                    var ahead = Times.Instant(seg.DepTime) - call.Now;
                    var rate = FlightSettings.RateFor(call.Settings.RefundFees, ahead) ?? call.Settings.NoShowRate;
                    fee = Math.Round(fare.Sell * rate, 0, MidpointRounding.AwayFromZero);
                }
                items.Add(new RefundItem
                {
                    PassengerName = p.Name, CredentialNo = p.CredentialNo, TicketNo = p.TicketNo, SegmentId = seg.SegmentId,
                    TicketPrice = fare.Sell, BuildFee = fare.Build, OilFee = fare.Oil, RefundFee = fee, RefundAmount = fare.Total - fee,
                });
            }
        }
        return new RefundQuote(refuse, items, voluntary && refuse is null);
    }

    static bool HasOpenChange(FlightCall call, FlightOrder order, OrderPassenger p) =>
        order.ChangeIds.Select(id => call.Services.Changes.Get(call.Tenant.Id, id.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Any(c => c is not null && ChangeStatus.Open(c.Status) && c.Passengers.Any(cp => cp.CredentialNo == p.CredentialNo));

    public static TopObject Detail(RefundItem i) => new TopObject()
        .Add("passenger_name", i.PassengerName)
        .Add("ticket_no", i.TicketNo)
        .Add("flight_segment_id", i.SegmentId)
        .Money("ticket_price", i.TicketPrice)
        .Money("build_fee", i.BuildFee)
        .Money("oil_fee", i.OilFee)
        .Money("refund_fee", i.RefundFee)
        .Money("refund_amount", i.RefundAmount);
}
