using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>
/// The agent's delivered-order records (GetSPYDRecCount §4.34, GetSPYDRec §4.35): one record per delivered order line
/// of orders in 已交割 (3), 已交割(返款) (D) or 已前台现付取票 (X), by delivery date; newest delivery first. And the
/// real-name records of an order (GetProductsIdentity §4.49).
/// </summary>
static class Deals
{
    const string None = "没有获取到相关产品的定单列表页数信息。";

    sealed record Row(TicketOrder Order, OrderLine Line);

    static List<Row> Matching(YobaoxingCall call)
    {
        var from = Products.ParseDate(call.Opt("Start_datetime") ?? throw call.Bad("Start_datetime 不能为空")) ?? throw call.Bad("Start_datetime 应为yyyymmdd");
        var to = Products.ParseDate(call.Opt("End_datetime") ?? throw call.Bad("End_datetime 不能为空")) ?? throw call.Bad("End_datetime 应为yyyymmdd");
        if (to < from) throw call.Bad("起始日期不能在截止日期之后");
        var orderId = call.Opt("Order_id");
        var ticketType = call.Dec("TicketTypeID");
        var rows = new List<Row>();
        foreach (var o in call.Services.Orders.Query(call.Tenant.Id, long.MinValue, long.MaxValue, 100_000))
            lock (o)
            {
                if (o.Status is not (OrderStatus.Delivered or OrderStatus.RebateDelivered or OrderStatus.CounterCollected) || o.DeliveredAt.Length < 8) continue;
                var day = Products.ParseDate(o.DeliveredAt[..8]);
                if (day < from || day > to || (orderId is not null && o.Id != orderId)) continue;
                rows.AddRange(o.Lines.Where(l => l.DealNum > 0 && (ticketType is null || l.ProductId.Equals(ticketType, StringComparison.OrdinalIgnoreCase)))
                    .Select(l => new Row(o, l)));
            }
        return rows.OrderByDescending(r => r.Order.DeliveredAt, StringComparer.Ordinal).ThenByDescending(r => r.Order.Id, StringComparer.Ordinal).ToList();
    }

    public static XmlReply GetSPYDRecCount(YobaoxingCall call)
    {
        var rows = Matching(call);
        if (rows.Count == 0) throw YobaoxingCall.Fail(-1, None);
        return Orders.PageCount(call, rows.Count);
    }

    public static XmlReply GetSPYDRec(YobaoxingCall call)
    {
        var page = Orders.PageIndex(call);
        var size = Math.Max(1, call.Settings.Int("pageSize", 20));
        var rows = Matching(call).Skip(page * size).Take(size).ToList();
        if (rows.Count == 0) throw YobaoxingCall.Fail(-1, None);
        var reply = call.Ok();
        foreach (var (o, l) in rows)
            lock (o)
            {
                reply.Open("Item");
                Booking.Header(call, reply, o);
                reply.Leaf("jgrqsj", o.DeliveredAt).Leaf("orderstatus", o.Status).Leaf("ydnum", l.Num).Money("summary", l.Price * l.Num)
                    .Leaf("productName", l.ProductName).Leaf("num", l.DealNum).Leaf("unit", l.Unit).Money("price", l.Price).Money("Total", l.DealAmount)
                    .Close("Item");
            }
        return reply;
    }

    /// <summary>
    /// One Item per real-name record. status (undefined by the document): the status of the ticket issued to that ID
    /// (1 normal, 2 refunded, 4 consumed), or 0 while no ticket has been issued to it.
    /// </summary>
    public static XmlReply GetProductsIdentity(YobaoxingCall call)
    {
        var id = call.Opt("orderid") ?? throw YobaoxingCall.Fail(-1, "单号不能为空......");
        var order = call.Order(id, () => YobaoxingCall.Fail(-1, "指定的预约单不存在。"));
        var reply = call.Ok();
        lock (order)
            foreach (var n in order.RealNames)
            {
                var line = order.Lines[Math.Clamp(n.ProductIndex - 1, 0, order.Lines.Count - 1)];
                var ticket = order.Tickets.FirstOrDefault(t => t.IdentityCode.Equals(n.IdNumber, StringComparison.OrdinalIgnoreCase));
                reply.Open("Item").Leaf("orderid", order.Id).Leaf("productid", line.ProductId).Leaf("productname", line.ProductName).Leaf("type", n.IdType)
                    .Leaf("status", ticket is null ? "0" : Tickets.Status(call, ticket)).Leaf("identitycode", n.IdNumber).Leaf("name", n.Name)
                    .Leaf("mobile", n.Mobile).Close("Item");
            }
        return reply;
    }
}
