using Sandbox.Suppliers.Yobaoxing.Catalog;
using Route = Sandbox.Suppliers.Yobaoxing.Catalog.Route;
using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>
/// Delivery (交割): remote activation or the automatic activation after payment turns an order into a sell bill and
/// tickets (spec §3.7, §4.40). Partial delivery is allowed once; the rest of the order can never be delivered and
/// pays the penalty of §3.5. Deposit and rebate money moves here in the legacy edition (V4 takes it at authorisation).
/// </summary>
static class Delivery
{
    /// <summary><paramref name="AtCounter"/>: the visitor pays and collects at the supplier's counter (0 → X) instead of a remote activation.</summary>
    public sealed record Request(
        IReadOnlyDictionary<string, int>? Quantities, DateOnly Date, IReadOnlyList<RealName> RealNames, int? TimeSpanIndex,
        string TicketType, string ActivateMode, bool AtCounter = false)
    {
        public string Operation => AtCounter ? "CounterCollect" : "ActivateTicket";
    }

    const string Fail = "，激活失败。";

    public static void Activate(YobaoxingCall call, TicketOrder order, Request r)
    {
        var wanted = Validate(call, order, r, alreadyAuthorised: true);
        Apply(call, order, r, wanted);
    }

    /// <summary>
    /// Every check of the activation, changing nothing, so that a payment page with automatic activation can refuse
    /// before it authorises (a failed direct activation fails the authorisation, spec §4.14).
    /// </summary>
    public static Dictionary<string, int> Validate(YobaoxingCall call, TicketOrder order, Request r, bool alreadyAuthorised)
    {
        var s = call.Settings;
        if (!r.AtCounter)
        {
            var activateable = s.Str("activateable", "1");
            if (activateable == "0") throw YobaoxingCall.Fail(-1, "当前电子门票系统不允许远程激活，必须至前台或自助机上取票。");
            var providerTicketType = s.Str("tickettype", "3");
            if (r.TicketType is not ("1" or "2") || (providerTicketType == "1" && r.TicketType == "2") || (providerTicketType == "2" && r.TicketType == "1"))
                throw YobaoxingCall.Fail(-1, "当前电子门票系统不允许按指定的模式执行远程激活" + Fail);
        }
        if (r.ActivateMode is not ("1" or "2")) throw YobaoxingCall.Fail(-1, "激活方式参数错误" + Fail);
        var rebate = order.PayMethod == PayMethod.Rebate;
        if ((r.ActivateMode == "2") != rebate || (alreadyAuthorised && !call.CanTransition(order, r.Operation)))
            throw YobaoxingCall.Fail(-1, "当前预订（预购）单不处于“已支付”或“预订金支付授权”状态，不能执行激活。");
        var sxrq = Products.ParseDate(order.Sxrq) ?? call.Today;
        // A theatre ticket is for its performance: activated for that day only.
        if (order.Theatre && r.Date != sxrq) throw YobaoxingCall.Fail(-1, Msg.Failed("演出门票只能按场次日期激活"));
        var validity = order.Lines.Select(l => call.Catalog.Product(l.ProductId)?.Preorder ?? 3).DefaultIfEmpty(3).Min();
        if (r.Date < sxrq || r.Date.DayNumber >= sxrq.DayNumber + Math.Max(1, validity) || r.Date < call.Today || r.Date.DayNumber > call.Today.DayNumber + 2)
            throw YobaoxingCall.Fail(-1, Msg.Failed("激活（游览）日期必须在订单有效期内，且只能是当天及其后的两天"));

        var wanted = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        if (r.Quantities is null)
            foreach (var l in order.Lines) wanted[l.ProductId] = l.Num;
        else
            foreach (var (pid, qty) in r.Quantities)
            {
                var line = order.Lines.FirstOrDefault(l => l.ProductId.Equals(pid, StringComparison.OrdinalIgnoreCase))
                           ?? throw YobaoxingCall.Fail(-1, "请求激活的门票类型未在预订单中存在" + Fail);
                if (qty > line.Num) throw YobaoxingCall.Fail(-1, "请求激活的门票数量超过预订数量" + Fail);
                wanted[line.ProductId] = qty;
            }
        if (wanted.Values.Sum() == 0) throw YobaoxingCall.Fail(-1, "没有需要激活的门票，激活订单失败。");

        var names = r.RealNames.Count > 0 ? r.RealNames : order.RealNames;
        foreach (var (l, index) in order.Lines.Select((l, i) => (l, i + 1)))
        {
            var count = wanted.GetValueOrDefault(l.ProductId);
            if (count == 0) continue;
            var product = call.Catalog.Product(l.ProductId);
            var named = names.Count(n => n.ProductIndex == index);
            if ((product?.NeedName == true || r.TicketType == "1") && named != count)
                throw YobaoxingCall.Fail(-1, r.TicketType == "1"
                    ? $"当前系统要求使用二代身份证远程激活，但订单中，{l.ProductName}对应的预订单中的实名信息数量与要求激活的数量不一致" + Fail
                    : $"当前预订单中，{l.ProductName}要求前台实名，但预订单中现有实名信息的数量，与要求激活的数量不一致" + Fail);
        }
        if (r.RealNames.Count > 0 && order.RealNames.Count > 0
            && r.RealNames.Any(n => order.RealNames.All(o => !o.IdNumber.Equals(n.IdNumber, StringComparison.OrdinalIgnoreCase))))
            throw YobaoxingCall.Fail(-1, "请求激活的身份证号码不存在于预订列表之中" + Fail);

        FindSlot(call, order, wanted.Values.Sum(), r.Date, r.TimeSpanIndex);
        return wanted;
    }

    static void Apply(YobaoxingCall call, TicketOrder order, Request r, Dictionary<string, int> wanted)
    {
        var s = call.Settings;
        var names = r.RealNames.Count > 0 ? r.RealNames : order.RealNames;
        var slot = AssignSlot(call, order, wanted.Values.Sum(), r.Date, r.TimeSpanIndex);
        var now = call.Now;
        var at = YobaoxingServices.Local(now, "yyyyMMddHHmmss");
        decimal dealt = 0, fees = 0;
        var groupTickets = s.Flag("groupTickets", false);
        foreach (var (l, index) in order.Lines.Select((l, i) => (l, i + 1)))
        {
            var count = wanted.GetValueOrDefault(l.ProductId);
            l.DealNum = count;
            l.DealAmount = count * l.Price;
            l.Fees = Fees.For(call, order, l, l.Num - count);
            dealt += l.DealAmount;
            fees += l.Fees;
            var lineNames = names.Where(n => n.ProductIndex == index).ToList();
            var product = call.Catalog.Product(l.ProductId);
            var perPerson = !groupTickets || product?.NeedName == true || lineNames.Count > 0;
            for (var i = 0; i < (perPerson ? count : Math.Min(count, 1)); i++)
            {
                var name = i < lineNames.Count ? lineNames[i] : null;
                order.Tickets.Add(new Ticket
                {
                    Code = call.Services.NextTicketCode(),
                    ProductId = l.ProductId,
                    ProductName = l.ProductName,
                    PersonCount = perPerson ? 1 : count,
                    TicketDate = Products.Date(r.Date),
                    Price = l.Price,
                    ServiceCode = slot?.Route.Code ?? "",
                    ServiceName = slot?.Route.Name ?? "",
                    TimeSpanIndex = slot?.Segment.Index,
                    StartTime = slot?.Segment.Start ?? "",
                    EndTime = slot?.Segment.End ?? "",
                    Name = name?.Name ?? "",
                    IdentityCode = name?.IdNumber ?? "",
                    SeatDesc = i < l.Seats.Count ? Theatre.Name(call, l.Seats[i]) : l.SeatDesc,
                });
            }
        }
        order.SellBillId = call.Services.NextSellBillId(now);
        order.StationId = "01";
        order.StationName = r.AtCounter ? "售票窗口" : "互联网远程激活";
        order.BusinessType = r.AtCounter ? "1" : "2";
        order.DeliveredAt = at;
        order.DealAmount = dealt;
        order.TotalFees = fees;
        Settle(call, order, dealt, fees);
        Stock.Release(call, order, "id");
        if (!call.Transition(order, r.Operation))
            throw YobaoxingCall.Fail(-1, "当前预订（预购）单不处于“已支付”或“预订金支付授权”状态，不能执行激活。");
    }

    /// <summary>
    /// Money at delivery. Deposit/rebate: V4 took the total at authorisation, so what was not delivered comes back
    /// minus the penalty; legacy takes the delivered amount plus the penalty now. Instant payment: the surplus minus
    /// the penalty becomes an automatic refund application (spec §3.5).
    /// </summary>
    static void Settle(YobaoxingCall call, TicketOrder order, decimal dealt, decimal fees)
    {
        if (order.PayMethod is PayMethod.Deposit or PayMethod.Rebate)
        {
            var account = order.PayMethod == PayMethod.Deposit ? AccountRecord.DepositAccount : AccountRecord.RebateAccount;
            var owed = dealt + fees - order.Debited;
            if (owed == 0) return;
            var jylx = account == AccountRecord.DepositAccount ? (owed > 0 ? "2" : "1") : (owed > 0 ? "9" : "A");
            if (!Money.Move(call, account, owed, jylx, order.Id, owed > 0 ? "订单交割" : "部分交割退回未交割金额（已扣违约手续费）"))
                throw account == AccountRecord.DepositAccount
                    ? YobaoxingCall.Fail(-1, Msg.Failed("预订金余额不足以完成交割"))
                    : YobaoxingCall.Fail(-1, Msg.Failed("返款余额不足以完成交割"));
            order.Debited += owed;
        }
        else if (order.PayMethod == PayMethod.Instant && order.Total - dealt - fees > 0)
        {
            order.RefundAmount = order.Total - dealt - fees;
            order.BackStatus = "受理中";
        }
    }

    sealed record Slot(Route Route, TimeSegment Segment);

    static Slot? AssignSlot(YobaoxingCall call, TicketOrder order, int persons, DateOnly date, int? requested)
    {
        var slot = FindSlot(call, order, persons, date, requested);
        if (slot is null || order.Held.Any(h => h.StartsWith("slot|", StringComparison.Ordinal))) return slot;
        var stock = call.Services.Stock.For(call.Tenant.Id);
        lock (stock)
        {
            Stock.Hold(call, stock, order, "slot", StockState.SlotKey(slot.Route.Code, Products.Date(date), slot.Segment.Index), persons);
            call.Services.Stock.Save(call.Ctx.Uow, call.Tenant.Id, stock);
        }
        return slot;
    }

    /// <summary>The check-in slot of a time-slot supplier: the one booked, the one asked for, or (-1 / none) the earliest with room.</summary>
    static Slot? FindSlot(YobaoxingCall call, TicketOrder order, int persons, DateOnly date, int? requested)
    {
        if (order.Theatre || !Products.TimeSlotMode(call) || call.Catalog.TimeSegments.Count == 0) return null;
        var route = (order.ServiceCode.Length > 0 ? call.Catalog.Routes.FirstOrDefault(r => r.Code == order.ServiceCode) : null)
                    ?? order.Lines.Select(l => call.Catalog.RouteOf(l.ProductId)).FirstOrDefault(r => r is not null);
        if (route is null) throw YobaoxingCall.Fail(-1, "当前系统处于分时段模式，但请求激活的门票类型没有分配线路（检票站点）" + Fail);
        if (order.TimeSpanIndex is { } booked)
        {
            if (!call.Legacy && requested is { } req && req != -1 && req != booked)
                throw YobaoxingCall.Fail(-1, Msg.Failed("timespanindex 必须与预订时指定值相同"));
            if (order.Sxrq == Products.Date(date))
                return new Slot(route, call.Catalog.TimeSegments.First(s => s.Index == booked));
        }
        var stock = call.Services.Stock.For(call.Tenant.Id);
        lock (stock)
        {
            var segment = Stock.PickSlot(call, stock, route.Code, Products.Date(date), persons, requested is null or -1 ? null : requested)
                          ?? throw YobaoxingCall.Fail(-1, Msg.Failed("指定的时段不存在、不可用或余量不足"));
            return new Slot(route, segment);
        }
    }
}
