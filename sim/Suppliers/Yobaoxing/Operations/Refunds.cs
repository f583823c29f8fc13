using Sandbox.Engine.Machines;
using Sandbox.Suppliers.Yobaoxing.Catalog;
using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>
/// Refunds: ApplyRefund (§4.16) and RevokeOrder (§4.27) for instant-payment orders not yet delivered, driven further by
/// supplier finance in the order machine (7 → 8 → B, or 7 → A); OrderRefundDeal (§4.51) locks an application;
/// RefundTicket (§4.52) refunds delivered, unused tickets one by one (money back at once, Notify_Refund /
/// Notify_Refund_FK per ticket); QueryOrderRefund (§4.50) lists the records. Penalties follow the fee rules (§3.5).
/// </summary>
static class Refunds
{
    /// <summary>Tag of an application OrderRefundDeal took over: it can no longer be withdrawn.</summary>
    public const string DealTag = "refund-deal";

    public static XmlReply ApplyRefund(YobaoxingCall call)
    {
        var legacy = call.Legacy;
        var id = call.Opt("Order_id") ?? throw (legacy ? YobaoxingCall.Fail(-2002, "没有内部单号，不能完成操作") : call.Bad("Order_id 不能为空"));
        var reason = call.Opt("PaybackReason") ?? throw call.Bad("PaybackReason 不能为空");
        var order = call.Order(id, () => legacy
            ? YobaoxingCall.Fail(-2008, "表示 没有找到此定单 操作失败(数据检索失败，请确认信息)")
            : YobaoxingCall.Fail(-2095, "指定的订单不存在、订单状态不为‘预订中’或订单不属于当前代理商"));
        lock (order)
        {
            if (order.Status == OrderStatus.Closed && legacy) throw YobaoxingCall.Fail(-2005, "此订单已过期，不能再进行申请退款的操作");
            // Only an undelivered instant payment is refunded as a whole; a delivered order refunds ticket by ticket (V4).
            if (order.PayMethod != PayMethod.Instant || !call.CanTransition(order, "ApplyRefund"))
                throw legacy ? YobaoxingCall.Fail(-2004, "此订单不是已支付的状态，不能进行申请退款的操作") : YobaoxingCall.Fail(-2362, "核算互联网订单违约手续费错误：订单状态错误");
            order.Tags.UnionWith(call.Ctx.Rules.Tags);
            var at = YobaoxingServices.Local(call.Now, "yyyyMMddHHmmss");
            decimal fees = 0;
            foreach (var l in order.Lines)
            {
                var fee = Fees.For(call, order, l, l.Num);
                fees += fee;
                order.Refunds.Add(new RefundRecord
                {
                    ProductId = l.ProductId, ProductName = l.ProductName, PersonCount = l.Num, Price = l.Price, Summary = l.Price * l.Num, Fee = fee,
                    Amount = l.Price * l.Num - fee, Status = "1", Basis = "1", CreatedAt = at, Reason = reason,
                });
            }
            order.RefundReason = reason;
            order.TotalFees = fees;
            call.Transition(order, "ApplyRefund");
        }
        return call.Ok(Msg.Success);
    }

    public static XmlReply RevokeOrder(YobaoxingCall call)
    {
        var legacy = call.Legacy;
        var id = call.Opt("Order_id") ?? throw (legacy ? YobaoxingCall.Fail(-2002, "没有内部单号，不能完成操作") : call.Bad("Order_id 不能为空"));
        var totalFee = call.ReqMoney("total_fee");
        _ = call.Opt("PaybackReason") ?? throw call.Bad("PaybackReason 不能为空");
        var notOpen = legacy
            ? YobaoxingCall.Fail(-2004, "此订单不是已支付的状态，不能进行申请退款的操作")
            : YobaoxingCall.Fail(-2095, "指定的订单不存在、订单状态不为‘第三方支付退款申请中’或订单不属于当前代理商");
        var order = call.Order(id, () => legacy ? YobaoxingCall.Fail(-2008, "表示 没有找到此定单 操作失败(数据检索失败，请确认信息)") : notOpen);
        lock (order)
        {
            if (order.Status == OrderStatus.Refunded)
                throw legacy ? notOpen : YobaoxingCall.Fail(-2371, "当前退款申请至少有一个正在办理中或者办理完成，不能撤消退款申请");
            if (order.Tags.Contains(DealTag) && order.Status is OrderStatus.RefundRequested or OrderStatus.RefundApproved)
                throw legacy ? notOpen : YobaoxingCall.Fail(-2372, "当前退款申请已受理，正在退款中，不能撤消退款申请");
            if (!call.CanTransition(order, "RevokeOrder")) throw notOpen;
            // "暂时只支持全额退款": the withdrawn application is the whole order.
            if (totalFee != order.Total) throw call.Bad("total_fee 必须等于预订单总金额（暂时只支持全额退款）");
            foreach (var r in order.Refunds.Where(r => r.Basis == "1" && r.Status is "1" or "2")) r.Status = "0";
            order.TotalFees = 0;
            call.Transition(order, "RevokeOrder");
            return call.Ok(Msg.Success).Open("Item").Leaf("Order_id", order.Id).Leaf("OrderInnerID", order.SenderId).Close("Item");
        }
    }

    /// <summary>OrderRefundDeal: the refund application is being handled and can no longer be withdrawn (no status code exists for it, §9.28).</summary>
    public static XmlReply OrderRefundDeal(YobaoxingCall call)
    {
        var id = call.Opt("orderid") ?? throw YobaoxingCall.Fail(-1, "单号不能为空......");
        var order = call.Order(id, () => YobaoxingCall.Fail(-1, "指定的预订单不存在。"));
        lock (order)
        {
            if (order.Status is not (OrderStatus.RefundRequested or OrderStatus.RefundApproved))
                throw YobaoxingCall.Fail(-1, Msg.Failed("订单不处于第三方支付退款申请中或已核准状态，不能开始退款办理"));
            order.Tags.Add(DealTag);
            order.UpdatedMs = call.NowMs;
            call.Save(order);
            call.Timeline(order, "refund-deal", new System.Text.Json.Nodes.JsonObject { ["status"] = order.Status });
            return call.Ok().Open("Item").Leaf("orderid", order.Id).Leaf("status", order.Status).Close("Item");
        }
    }

    public static XmlReply QueryOrderRefund(YobaoxingCall call)
    {
        var id = call.Opt("orderid") ?? throw YobaoxingCall.Fail(-1, "单号不能为空......");
        var order = call.Order(id, () => YobaoxingCall.Fail(-1, "指定的预约单不存在。"));
        lock (order)
        {
            var records = order.Refunds.Where(r => r.Status != "0").ToList();
            var channel = order.PayMethod == PayMethod.Instant ? order.PayChannel : PayMethod.Describe(order.PayMethod, order.PayChannel);
            var channelId = call.Catalog.PayChannels.ToList().IndexOf(order.PayChannel) is var i and >= 0 ? (i + 1).ToString("00") : "";
            var reply = call.Ok().Top("total", XmlReply.Format(records.Sum(r => r.Summary))).Top("totalfee", XmlReply.Format(records.Sum(r => r.Fee)))
                .Top("totalrefund", XmlReply.Format(records.Sum(r => r.Amount)));
            reply.Open("details");
            foreach (var r in records)
                reply.Open("Item").Leaf("orderid", order.Id).Leaf("productid", r.ProductId).Leaf("productname", r.ProductName).Leaf("personcount", r.PersonCount)
                    .Money("price", r.Price).Money("summary", r.Summary).Leaf("description", r.Fee > 0 ? $"扣除违约手续费{XmlReply.Format(r.Fee)}元" : "无违约手续费")
                    .Leaf("paychannelid", channelId).Leaf("paychannelname", channel).Leaf("status", r.Status)
                    .Leaf("calculationbasis", r.Basis).Leaf("calculationbasisname", r.Basis == "1" ? "按订单退款" : "按门票退票")
                    .Leaf("debitcount", r.Fee > 0 ? r.PersonCount : 0).Money("debitprice", r.PersonCount > 0 ? Math.Round(r.Fee / r.PersonCount, 2) : 0)
                    .Money("totalfees", r.Fee).Money("debitsummary", r.Amount)
                    .Leaf("createdate", r.CreatedAt.Length >= 8 ? r.CreatedAt[..8] : "").Leaf("createtime", r.CreatedAt.Length >= 14 ? r.CreatedAt[8..] : "")
                    .Leaf("completedate", r.CompletedAt.Length >= 8 ? r.CompletedAt[..8] : "").Leaf("completetime", r.CompletedAt.Length >= 14 ? r.CompletedAt[8..] : "")
                    .Leaf("selleremail", call.Catalog.ProviderName).Leaf("buyeremail", call.Tenant.Name ?? call.Tenant.Id).Leaf("refundreason", r.Reason)
                    .Close("Item");
            return reply.Close("details");
        }
    }

    public static XmlReply RefundTicket(YobaoxingCall call)
    {
        var id = call.Opt("orderid") ?? throw YobaoxingCall.Fail(-1, "单号不能为空......");
        var codes = (call.Opt("ticketcode") ?? throw call.Bad("ticketcode 不能为空")).Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var order = call.Order(id, () => YobaoxingCall.Fail(-1, "指定的预订单不存在。"));
        if (call.Settings.Str("activerefund", "1") != "1") throw YobaoxingCall.Fail(-1, Msg.Failed("供应商未开通激活后的在线退票"));
        lock (order)
        {
            if (order.Status is not (OrderStatus.Delivered or OrderStatus.RebateDelivered)) throw YobaoxingCall.Fail(-1, Msg.Failed("订单尚未取票或激活，不能退票"));
            var tickets = new List<Ticket>();
            foreach (var code in codes.Distinct())
            {
                var t = order.Tickets.FirstOrDefault(t => t.Code == code) ?? throw YobaoxingCall.Fail(-1, Msg.Failed($"门票{code}不属于该订单"));
                if (Refusal(call, t) is { } why) throw YobaoxingCall.Fail(-1, Msg.Failed($"门票{code}{why}"));
                tickets.Add(t);
            }
            if (tickets.Count == 0) throw call.Bad("ticketcode 不能为空");
            RefundTickets(call, order, tickets);
            return call.Ok().Open("Item").Leaf("orderid", order.Id).Close("Item");
        }
    }

    /// <summary>Why a delivered ticket cannot be refunded online, or null: refunded, gated, past, or its time slot ends within 30 minutes.</summary>
    public static string? Refusal(YobaoxingCall call, Ticket t)
    {
        if (t.Status != "1") return "已退票";
        if (t.Checks.Count > 0) return "已过闸消费，不能在线退票";
        var date = Products.ParseDate(t.TicketDate) ?? call.Today;
        if (date < call.Today) return "已过有效期，不能退票";
        if (t.EndTime.Length == 5 && TimeOnly.TryParse(t.EndTime, out var end))
        {
            var slotEnd = new DateTimeOffset(date.ToDateTime(end), YobaoxingServices.China);
            if (slotEnd - call.Now <= TimeSpan.FromMinutes(30)) return "所在时段结束前30分钟内不能退票";
        }
        return null;
    }

    /// <summary>
    /// Refunds delivered tickets "原路退回" (refundmode 2) minus the penalty: deposit and rebate money goes back to the
    /// account now, an instant payment's to the paying account (the sandbox's finance pays ticket refunds at once).
    /// </summary>
    public static void RefundTickets(YobaoxingCall call, TicketOrder order, IReadOnlyList<Ticket> tickets)
    {
        var at = YobaoxingServices.Local(call.Now, "yyyyMMddHHmmss");
        foreach (var t in tickets)
        {
            var line = order.Lines.First(l => l.ProductId == t.ProductId);
            var fee = Fees.For(call, order, line, t.PersonCount - t.FreeCount);
            var back = t.Summary - fee;
            t.Status = "2";
            t.RefundedAt = at;
            t.RefundFee = fee;
            t.RefundMode = "2";
            line.ReturnCount += t.PersonCount;
            line.ReturnFees += fee;
            line.ReturnTotal += back;
            switch (order.PayMethod)
            {
                case PayMethod.Deposit or PayMethod.Rebate:
                    var deposit = order.PayMethod == PayMethod.Deposit;
                    Money.Move(call, deposit ? AccountRecord.DepositAccount : AccountRecord.RebateAccount, -back, deposit ? "1" : "A", order.Id,
                        deposit ? "互联网退票退回预订金（已扣违约手续费）" : "互联网预定返款票退票");
                    order.Debited -= back;
                    break;
            }
            // A refund after delivery, whatever paid for it: QueryOrder's backtotal/backstatus (the money moved at once).
            order.RefundAmount += back;
            order.BackStatus = "已受理";
            order.Refunds.Add(new RefundRecord
            {
                ProductId = t.ProductId, ProductName = t.ProductName, PersonCount = t.PersonCount, Price = t.Price, Summary = t.Summary, Fee = fee, Amount = back,
                Status = "3", Basis = "2", TicketCode = t.Code, CreatedAt = at, CompletedAt = at, Reason = "退票办理",
            });
            if (Notifications.ForRefund(call.Services, call.Tenant, order, t) is { } message) call.Services.Engine.Callbacks.Enqueue(call.Ctx.Uow, message);
        }
        order.UpdatedMs = call.NowMs;
        call.Save(order);
        call.Timeline(order, "tickets-refunded", new System.Text.Json.Nodes.JsonObject { ["tickets"] = string.Join("|", tickets.Select(t => t.Code)) });
        Notices.Refunded(call.Services, call.Ctx.Uow, call.Tenant, call.Settings, call.Catalog, order, $"门票{string.Join("、", tickets.Select(t => t.Code))}");
    }

    /// <summary>Finance's steps on an order-level refund (admin transitions or the machine's timers): the records follow the order.</summary>
    public static void OnEnter(YobaoxingServices services, TransitionContext ctx, YobaoxingSettings settings, TicketCatalog catalog, TicketOrder order)
    {
        var at = YobaoxingServices.Local(DateTimeOffset.FromUnixTimeMilliseconds(ctx.VirtualNowMs), "yyyyMMddHHmmss");
        var open = order.Refunds.Where(r => r.Basis == "1" && r.Status is "1" or "2").ToList();
        switch (ctx.To)
        {
            case OrderStatus.RefundApproved:
                foreach (var r in open) r.Status = "2";
                break;
            case OrderStatus.RefundRejected:
                foreach (var r in open) r.Status = "4";
                break;
            case OrderStatus.Refunded:
                foreach (var r in open)
                {
                    r.Status = "3";
                    r.CompletedAt = at;
                }
                Stock.Release(services, ctx.Uow, ctx.Tenant.Id, order);
                Notices.Refunded(services, ctx.Uow, ctx.Tenant, settings, catalog, order, "");
                break;
        }
    }
}
