using System.Globalization;
using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>ActivateTicket (§4.40), GetTicketList (§4.41), GetTicketContext (§4.42), QueryTicketCheckList (§4.45) and ReMakeTicket (§4.11).</summary>
static class Tickets
{
    const string Fail = "，激活失败。";

    public static XmlReply ActivateTicket(YobaoxingCall call)
    {
        var id = call.Opt("orderid") ?? throw YobaoxingCall.Fail(-1, "预订单号不能为空" + Fail);
        var all = call.Opt("activateall") ?? throw YobaoxingCall.Fail(-1, "是否整单激活参数不能为空" + Fail);
        var dateText = call.Opt("activatedate") ?? throw YobaoxingCall.Fail(-1, "激活（游览）日期不能为空" + Fail);
        var mode = call.Opt("activatemode") ?? throw YobaoxingCall.Fail(-1, "激活方式不能为空" + Fail);
        var ticketType = call.Opt("tickettype") ?? throw YobaoxingCall.Fail(-1, "参数不能为空" + Fail);
        if (all is not ("0" or "1")) throw YobaoxingCall.Fail(-1, Msg.Failed("activateall 只能是 0 或 1"));
        Dictionary<string, int>? quantities = null;
        if (all == "0")
        {
            var list = call.Opt("activatelist") ?? throw YobaoxingCall.Fail(-1, "当前业务被指定为部分激活，但未提供激活列表" + Fail);
            var parts = list.Split('|');
            if (parts.Length % 2 != 0) throw YobaoxingCall.Fail(-1, Msg.Failed("activatelist 应为 产品ID1|数量1|……"));
            quantities = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < parts.Length; i += 2)
                quantities[parts[i]] = int.TryParse(parts[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                    ? n
                    : throw YobaoxingCall.Fail(-1, Msg.Failed("activatelist 中的数量必须是非负整数"));
        }
        var date = Products.ParseDate(dateText) ?? throw YobaoxingCall.Fail(-1, Msg.Failed("activatedate 应为yyyyMMdd"));
        var memoText = call.Dec("memo");
        var order = call.Order(id, () => YobaoxingCall.Fail(-1, "没有找到对应的预订（预购）单。"));
        lock (order)
        {
            var names = memoText is null ? [] : ParseMemo(order, memoText);
            Delivery.Activate(call, order, new Delivery.Request(quantities, date, names, call.OptInt("timespanindex"), ticketType, mode));
            var reply = call.Ok();
            SellBill(call, reply, order);
            return reply;
        }
    }

    static List<RealName> ParseMemo(TicketOrder order, string memo) =>
        memo.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(r =>
        {
            var f = r.Split('^');
            if (f.Length < 4 || !int.TryParse(f[3], out var index) || index < 1 || index > order.Lines.Count)
                throw YobaoxingCall.Fail(-1, "验证参数失败：实名信息格式错误。");
            return new RealName(f[0].Trim(), f[1], f[2], index, f.Length > 4 ? f[4] : "1");
        }).ToList();

    /// <summary>The delivery and its tickets; only GetTicketList documents the V4 status 4 (已消费) for a gated ticket.</summary>
    public static void SellBill(YobaoxingCall call, XmlReply reply, TicketOrder order, bool listsConsumed = false)
    {
        reply.Open("Item").Leaf("orderid", order.Id).Leaf("sellbillid", order.SellBillId).Leaf("stationid", order.StationId)
            .Leaf("stationname", order.StationName).Leaf("businesstype", order.BusinessType).Leaf("datetime", order.DeliveredAt)
            .Money("total", order.Total).Money("dealtotal", order.DealAmount + order.TotalFees).Money("dealamount", order.DealAmount)
            .Money("totalfees", order.TotalFees).Leaf("ticketcount", order.Tickets.Count).Leaf("personcount", order.Tickets.Sum(t => t.PersonCount));
        reply.Open("tickets");
        foreach (var t in order.Tickets)
        {
            reply.Open("ticket");
            TicketFields(call, reply, t, listsConsumed);
            reply.Close("ticket");
        }
        reply.Close("tickets").Close("Item");
    }

    /// <summary>
    /// A ticket's fields. <c>timespanindex</c> is documented "时段号，INT": a ticket without a time slot (theatre, a
    /// scenic area not in slot mode) says 0, since slots are numbered from 1, so typed parsers read every ticket.
    /// <c>status</c> is 1 or 2 (table 2.3: 1 is normal or consumed) except where a page documents 4.
    /// </summary>
    public static void TicketFields(YobaoxingCall call, XmlReply reply, Ticket t, bool listsConsumed) =>
        reply.Leaf("productid", t.ProductId).Leaf("productname", t.ProductName).Leaf("ticketcode", t.Code).Leaf("personcount", t.PersonCount)
            .Leaf("ticketdate", t.TicketDate).Leaf("freecount", t.FreeCount).Money("price", t.Price).Money("summary", t.Summary)
            .Leaf("servicecode", t.ServiceCode).Leaf("servicename", t.ServiceName)
            .Leaf("timespanindex", SlotIndex(t.TimeSpanIndex)).Leaf("starttime", t.StartTime).Leaf("endtime", t.EndTime)
            .Leaf("status", listsConsumed ? Status(call, t) : t.Status).Leaf("name", t.Name).Leaf("identitycode", t.IdentityCode);

    /// <summary>A time-slot number as the INT the document types it: 0 for none.</summary>
    public static string SlotIndex(int? index) => (index ?? 0).ToString(CultureInfo.InvariantCulture);

    /// <summary>V4 reports a checked ticket as 4 已消费; legacy keeps 1 (normal or consumed, spec §3.3).</summary>
    public static string Status(YobaoxingCall call, Ticket t) => t.Status == "1" && t.Checks.Count > 0 && !call.Legacy ? "4" : t.Status;

    public static XmlReply GetTicketList(YobaoxingCall call)
    {
        var order = call.Order(call.Req("orderid"), () => YobaoxingCall.Fail(-1, Msg.Failed("没有找到对应的预订（预购）单")));
        lock (order)
        {
            if (order.SellBillId.Length == 0) throw YobaoxingCall.Fail(-1, Msg.Failed("订单尚未取票或激活，没有交割信息"));
            var reply = call.Ok();
            SellBill(call, reply, order, listsConsumed: true);
            return reply;
        }
    }

    public static XmlReply QueryTicketCheckList(YobaoxingCall call)
    {
        var order = call.Order(call.Req("orderid"), () => YobaoxingCall.Fail(-1, Msg.Other));
        var code = call.Req("ticketcode");
        lock (order)
        {
            var ticket = order.Tickets.FirstOrDefault(t => t.Code == code) ?? throw YobaoxingCall.Fail(-1, Msg.Failed("门票号码不属于该订单"));
            if (ticket.Checks.Count == 0 && !call.Legacy) throw YobaoxingCall.Fail(-1, "没有找到门票的验证记录数据。");
            var reply = call.Ok();
            foreach (var c in ticket.Checks)
                reply.Open("Item").Leaf("ticketcode", ticket.Code).Leaf("datetime", c.DateTime).Leaf("stationname", c.StationName).Leaf("gatenumber", c.GateNumber).Close("Item");
            return reply;
        }
    }

    /// <summary>
    /// One ticket with its picture. The legacy edition takes ticketcode 3DES-encrypted and sends the image only when the
    /// supplier issues mobile tickets (tickettype 2 or 3); V4 takes it plain and adds seatdesc.
    /// </summary>
    public static XmlReply GetTicketContext(YobaoxingCall call)
    {
        var id = call.Req("orderid");
        var code = call.Legacy ? call.ReqDec("ticketcode") : call.Req("ticketcode");
        var order = call.Order(id, () => YobaoxingCall.Fail(-1, Msg.Other));
        lock (order)
        {
            var t = order.Tickets.FirstOrDefault(t => t.Code == code) ?? throw YobaoxingCall.Fail(-1, Msg.Other);
            var reply = call.Ok().Open("Item");
            TicketFields(call, reply, t, listsConsumed: false);
            reply.Leaf("dealtype", order.BusinessType.Length > 0 ? order.BusinessType : "2");
            if (!call.Legacy) reply.Leaf("seatdesc", t.SeatDesc);
            var image = !call.Legacy || call.Settings.Str("tickettype", "3") is "2" or "3";
            var state = Status(call, t) switch { "2" => "REFUNDED", "4" => "USED", _ => "VALID" };
            reply.Leaf("eticketimage", image ? Convert.ToBase64String(Imaging.TicketImage.Jpeg(t.Code, t.TicketDate, state, order.Id)) : "");
            return reply.Close("Item");
        }
    }

    /// <summary>The collection voucher again (smsModel 0 SMS, 1 MMS, 2 both) to the order's mobile: paid orders only, 5 minutes apart.</summary>
    public static XmlReply ReMakeTicket(YobaoxingCall call)
    {
        var id = call.Req("Order_id");
        var smsModel = call.Opt("smsModel") ?? "0";
        if (smsModel is not ("0" or "1" or "2")) throw call.Bad("smsModel 只能是 0、1 或 2");
        var order = call.Order(id, () => YobaoxingCall.Fail(-1, "下发短信失败,此短信对应的单号不存在,请确认定单号是否正确"));
        lock (order)
        {
            if (order.Mobile.Length == 0) throw YobaoxingCall.Fail(-1, "下发短信失败,预定人的手机号码为空，不能完成操作");
            if (order.Status is not (OrderStatus.DepositAuthorised or OrderStatus.RebateAuthorised or OrderStatus.Delivered or OrderStatus.RebateDelivered
                or OrderStatus.InstantPaid or OrderStatus.InstantApproved or OrderStatus.CounterCollected))
                throw YobaoxingCall.Fail(-1, "下发短信失败,此定单还没有支付完成，不能进行下发短信凭证的操作");
            if (order.VoucherSentMs > 0 && call.NowMs - order.VoucherSentMs < 5 * 60_000)
                throw YobaoxingCall.Fail(-1, "下发短信失败,下发的时间太频繁，请稍后再试(间隔5分钟)");
            if (order.SmsSends >= call.Settings.Int("voucherMaxSends", 10))
                throw YobaoxingCall.Fail(-1, "下发短信失败,此定单已经发送了多次凭证，不允许再重发凭证");
            Notices.Voucher(call.Services, call.Ctx.Uow, call.Tenant, call.Catalog, order, smsModel);
            order.SmsSends++;
            order.VoucherSentMs = call.NowMs;
            order.UpdatedMs = call.NowMs;
            call.Save(order);
        }
        return call.Ok("重发成功");
    }
}
