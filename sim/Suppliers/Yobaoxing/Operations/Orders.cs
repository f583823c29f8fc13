using System.Globalization;
using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>QueryOrder (§4.8), QueryOrdersList (§4.9), QueryOrderPageListCount (§4.10) and CancelOrder (§4.15).</summary>
static class Orders
{
    public static XmlReply QueryOrder(YobaoxingCall call)
    {
        var order = call.Order(call.Req("order_id"), () => call.Legacy
            ? YobaoxingCall.Fail(-1, "没有获取到相关产品的定单列表页数信息。")
            : YobaoxingCall.Fail(-2002, "没有找到对应的订单或订单不属于当前用户"));
        var reply = call.Ok();
        lock (order)
        {
            reply.Open("Item");
            Booking.Header(call, reply, order);
            reply.Leaf("orderstatus", order.Status).Leaf("paytimeout", Booking.PayTimeout(call, order));
            if (!call.Legacy)
                reply.Money("summary", order.Total).Leaf("spdh", order.SellBillId).Leaf("sxrq", order.Sxrq).Leaf("jgrqsj", order.DeliveredAt)
                    .Leaf("mobile", order.Mobile).Leaf("cardid", order.CardId).Leaf("xyfp", Invoice(order)).Leaf("fptt", order.InvoiceTitle);
            Totals(reply, order);
            foreach (var l in order.Lines)
            {
                reply.Open("subitem").Leaf("productid", l.ProductId).Leaf("productname", l.ProductName).Leaf("num", l.Num).Leaf("unit", l.Unit)
                    .Money("price", l.Price).Leaf("productstatus", "1");
                if (!call.Legacy)
                {
                    // The slot booked, else the one activation assigned (timespanindex -1 picks it then).
                    var index = l.TimeIndex ?? order.Tickets.FirstOrDefault(t => t.ProductId == l.ProductId && t.TimeSpanIndex is not null)?.TimeSpanIndex;
                    var slot = index is { } i ? call.Catalog.TimeSegments.FirstOrDefault(s => s.Index == i) : null;
                    reply.Leaf("timeindex", Tickets.SlotIndex(index))
                        .Leaf("timeindexdesc", slot is null ? "" : $"{slot.Start}-{slot.End}")
                        .Leaf("serverstationid", l.ServiceCode).Leaf("serverstationname", l.ServiceName);
                }
                reply.Leaf("seatlistdesc", l.SeatDesc).Leaf("dealnum", l.DealNum).Money("dealamount", l.DealAmount).Money("fees", l.Fees)
                    .Leaf("returncount", l.ReturnCount).Money("returnfees", l.ReturnFees).Money("returntotal", l.ReturnTotal)
                    .Leaf("returnpaychanneldesc", l.ReturnCount > 0 ? ReturnChannel(order) : "").Close("subitem");
            }
            reply.Close("Item");
        }
        return reply;
    }

    /// <summary>
    /// xyfp as QueryOrder documents it, "0需要 1不需要" (the inverse of the NeedInvoice parameter), on both pages:
    /// QueryOrdersList's text is garbled ("需要发票 0不需要 不需要") and the same order must not read two ways.
    /// </summary>
    static string Invoice(TicketOrder o) => o.NeedInvoice ? "0" : "1";

    /// <summary>backtotal/backstatus are "在交割后产生的退款": refunds after delivery only (the order status tells the rest).</summary>
    static void Totals(XmlReply reply, TicketOrder order)
    {
        var returned = order.Tickets.Where(t => t.Status == "2").ToList();
        reply.Money("dealtotal", order.DealAmount + order.TotalFees).Money("dealamount", order.DealAmount).Money("totalfees", order.TotalFees)
            .Leaf("paychannel", PayMethod.Describe(order.PayMethod, order.PayChannel))
            .Money("backtotal", order.RefundAmount).Leaf("backstatus", order.BackStatus)
            .Leaf("returnticketdesc", returned.Count == 0 ? "" : $"退票{returned.Count}张，合计{XmlReply.Format(returned.Sum(t => t.Summary - t.RefundFee))}元，{RefundModeText(returned[0].RefundMode)}")
            .Leaf("returncount", returned.Count).Money("returntotal", returned.Sum(t => t.Summary - t.RefundFee))
            .Leaf("returnpaychanneldesc", returned.Count == 0 ? "" : ReturnChannel(order));
    }

    static string RefundModeText(string mode) => mode == "1" ? "前台退现" : "原路退回";

    static string ReturnChannel(TicketOrder order) => $"{PayMethod.Describe(order.PayMethod, order.PayChannel)}，已受理";

    sealed record Filter(int Model, DateOnly? From, DateOnly? To, string? Mobile, string? CardId, string? OrderId, string? Status, string? ProductId);

    static Filter ReadFilter(YobaoxingCall call)
    {
        var model = call.OptInt("Query_model") ?? 1;
        if (model is < 1 or > 3) throw call.Bad("Query_model 只能是 1、2 或 3");
        DateOnly? from, to;
        if (call.Legacy)
        {
            from = Stamp(call, "Start_datetime");
            to = Stamp(call, "End_datetime");
        }
        else
        {
            var today = call.Today;
            from = call.Opt("Start_datetime") is { } s ? Products.ParseDate(s) ?? throw call.Bad("Start_datetime 应为yyyymmdd") : today.AddMonths(-1);
            to = call.Opt("End_datetime") is { } e ? Products.ParseDate(e) ?? throw call.Bad("End_datetime 应为yyyymmdd") : today;
            if (to < from) throw call.Bad("起始日期不能在截止日期之后");
            if (to.Value.DayNumber - from.Value.DayNumber > 31) throw call.Bad("起始日期和截止日期最大时间跨度不能超过31日历日");
        }
        var status = call.Opt("ZT");
        if (status is not null && !OrderStatus.All.Contains(status.ToUpperInvariant())) throw call.Bad("ZT 不是有效的订单状态");
        return new Filter(model, from, to, call.Opt("SJHM"), call.Opt("ZJHM"), call.Opt("YDDH"), status?.ToUpperInvariant(), call.Opt("ProductID"));
    }

    /// <summary>Legacy dates are yyyymmddHHmmss; the day is what the filter compares.</summary>
    static DateOnly? Stamp(YobaoxingCall call, string name) =>
        call.Opt(name) is { } v
            ? v.Length >= 8 && Products.ParseDate(v[..8]) is { } d ? d : throw call.Bad($"{name} 应为yyyymmddHHmmss")
            : null;

    static List<TicketOrder> Matching(YobaoxingCall call, Filter f)
    {
        var all = call.Services.Orders.Query(call.Tenant.Id, long.MinValue, long.MaxValue, 100_000);
        return all.Where(o =>
        {
            var day = f.Model switch
            {
                2 => o.Sxrq,
                3 => o.DeliveredAt.Length >= 8 ? o.DeliveredAt[..8] : null,
                _ => o.OrderTime[..8],
            };
            if (day is null) return false;
            var d = Products.ParseDate(day);
            if (f.From is { } from && d < from) return false;
            if (f.To is { } to && d > to) return false;
            if (f.Mobile is not null && o.Mobile != f.Mobile) return false;
            if (f.CardId is not null && !o.CardId.Equals(f.CardId, StringComparison.OrdinalIgnoreCase)) return false;
            if (f.OrderId is not null && o.Id != f.OrderId) return false;
            if (f.Status is not null && o.Status != f.Status) return false;
            if (f.ProductId is not null && o.Lines.All(l => !l.ProductId.Equals(f.ProductId, StringComparison.OrdinalIgnoreCase))) return false;
            return true;
        }).OrderByDescending(o => o.CreatedMs).ThenByDescending(o => o.Id, StringComparer.Ordinal).ToList();
    }

    static int PageSize(YobaoxingCall call) => Math.Max(1, call.Settings.Int("pageSize", 20));

    public static XmlReply QueryOrderPageListCount(YobaoxingCall call)
    {
        var list = Matching(call, ReadFilter(call));
        return PageCount(call, list.Count);
    }

    public static XmlReply PageCount(YobaoxingCall call, int records)
    {
        var size = PageSize(call);
        return call.Ok().Open("item").Leaf("pagesize", size).Leaf("pagecount", (records + size - 1) / size).Leaf("recordcount", records).Close("item");
    }

    /// <summary>Page_index counts from zero (spec §4.9 flow "从第零页起"); the newest orders come first.</summary>
    public static int PageIndex(YobaoxingCall call) =>
        int.TryParse(call.Req("Page_index"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : throw call.Bad("Page_index 必须是非负整数");

    public static XmlReply QueryOrdersList(YobaoxingCall call)
    {
        var page = PageIndex(call);
        var list = Matching(call, ReadFilter(call));
        var size = PageSize(call);
        var rows = list.Skip(page * size).Take(size).ToList();
        if (rows.Count == 0) throw YobaoxingCall.Fail(-1, "没有获取到相关产品的定单信息。");
        var reply = call.Ok();
        reply.Open("Items");
        foreach (var o in rows)
            lock (o)
            {
                reply.Open("Item");
                Booking.Header(call, reply, o);
                reply.Leaf("orderstatus", o.Status).Money("summary", o.Total).Leaf("tickettypedesc", o.TicketTypeDesc())
                    .Money("dealtotal", o.DealAmount + o.TotalFees)
                    .Leaf("dealdesc", o.DealAmount > 0 ? "共成交" + string.Join(",", o.Lines.Where(l => l.DealNum > 0).Select(l => $"{l.ProductName}{l.DealNum}{l.Unit}")) : "")
                    .Money("feetotal", o.TotalFees);
                var returned = o.Tickets.Where(t => t.Status == "2").ToList();
                reply.Money("backtotal", o.RefundAmount).Leaf("backstatus", o.BackStatus).Leaf("paychannel", PayMethod.Describe(o.PayMethod, o.PayChannel))
                    .Leaf("returnticketdesc", returned.Count == 0 ? "" : $"退票{returned.Count}张")
                    .Leaf("returncount", returned.Count).Money("returntotal", returned.Sum(t => t.Summary - t.RefundFee))
                    .Money("returnfees", returned.Sum(t => t.RefundFee)).Leaf("returnpaychanneldesc", returned.Count == 0 ? "" : ReturnChannel(o))
                    .Leaf("spdh", o.SellBillId).Leaf("sxrq", o.Sxrq).Leaf("jgrqsj", o.DeliveredAt).Leaf("mobile", o.Mobile).Leaf("cardid", o.CardId)
                    .Leaf("xyfp", Invoice(o)).Leaf("fptt", o.InvoiceTitle)
                    .Close("Item");
            }
        return reply.Close("Items");
    }

    public static XmlReply CancelOrder(YobaoxingCall call)
    {
        var legacy = call.Legacy;
        var id = call.Opt("Order_id") ?? throw (legacy ? call.Bad("Order_id 不能为空") : YobaoxingCall.Fail(-1, "订单号不能为空，请检查输入"));
        var order = call.Order(id, () => legacy ? YobaoxingCall.Fail(-2001, "表示没有找到此定单 操作失败") : YobaoxingCall.Fail(-2361, "核算互联网订单违约手续费错误：订单不存在"));
        lock (order)
        {
            // V4 "对于已经激活的，直接退票处理": cancelling a delivered order refunds its unused tickets.
            if (!legacy && order.Status is OrderStatus.Delivered or OrderStatus.RebateDelivered)
            {
                var refundable = order.Tickets.Where(t => Refunds.Refusal(call, t) is null).ToList();
                if (refundable.Count == 0) throw YobaoxingCall.Fail(-2362, "核算互联网订单违约手续费错误：订单状态错误");
                Refunds.RefundTickets(call, order, refundable);
                return call.Ok(Msg.Success);
            }
            if (order.Status == OrderStatus.CounterCollected)
                throw legacy ? YobaoxingCall.Fail(-2002, "预定单的状态不支持") : YobaoxingCall.Fail(-2381, "当前订单状态为X，不支持直接撤消订单");
            if (!call.CanTransition(order, "CancelOrder"))
                throw legacy
                    ? YobaoxingCall.Fail(-2003, "预订单的状态不是预订中、预订金支付授权、返款余额支付授权了，不允许执行取消订单的操作")
                    : YobaoxingCall.Fail(-2362, "核算互联网订单违约手续费错误：订单状态错误");
            var fee = Closing.Fee(call.Settings, call.Catalog, call.Now, order);
            if (fee > order.Debited)
            {
                var account = order.PayMethod == PayMethod.Rebate ? AccountRecord.RebateAccount : AccountRecord.DepositAccount;
                if (Money.Balance(call, account) < fee - order.Debited)
                    throw YobaoxingCall.Fail(legacy ? -1 : -2364, legacy ? Msg.Failed("从客户预订金账户扣除互联网违约手续费失败") : "从客户预订金账户扣除互联网违约手续费失败");
            }
            call.Transition(order, "CancelOrder");
        }
        return call.Ok(Msg.Success);
    }
}
