using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.FliggyFlight.Protocol;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyFlight.Operations;

/// <summary>
/// alitrip.flight.service.queryorderdetail (查询订单详情, spec §2.8): the order by order_id or out_order_no (exactly one),
/// as it is now — status, payment, tickets — with one <c>flight_book_order_detail</c> per passenger and segment.
/// </summary>
static class QueryOrderDetail
{
    public const string Method = "alitrip.flight.service.queryorderdetail";

    public static TopObject Handle(FlightCall call)
    {
        var orderId = call.Top.Long("order_id");
        var outOrderNo = call.Top.Str("out_order_no");
        if ((orderId is null) == (outOrderNo is null)) throw TopError.MissingArgument("order_id|out_order_no");
        var order = call.Order(orderId ?? OrderIdOf(call, outOrderNo!));
        lock (order) return Reply(order);
    }

    static long OrderIdOf(FlightCall call, string outOrderNo) =>
        call.Services.Keys.Get(call.Tenant.Id, IdempotencyKey.ForOrder(outOrderNo)) is { } key
            ? long.Parse(key.Target, System.Globalization.CultureInfo.InvariantCulture)
            : throw FlightError.OrderNotFound();

    static TopObject Reply(FlightOrder o) => FlightCall.Ok()
        .Add("seller_nick", o.SellerNick)
        .Add("order_id", o.OrderId)
        .Add("out_order_no", o.OutOrderNo)
        .Add("book_time", Times.Of(o.CreatedMs))
        .Add("pay_time", Times.Of(o.PayTimeMs))
        .Money("total_price", o.TotalPrice)
        .Money("real_pay_price", o.RealPayPrice)
        .Add("alipay_trade_no", o.AlipayTradeNo)
        .Add("order_status", OrderStatus.Text(o.Status))
        .Add("order_status_code", OrderStatus.Code(o.Status))
        .Add("pay_deadline", Times.Of(o.PayDeadlineMs))
        .Add("flight_book_order_detail_list", TopList.Of("flight_book_order_detail",
            from p in o.Passengers
            from s in o.Segments
            select new TopObject()
                .Add("passenger", FlightReplies.Passenger(p))
                .Add("flight_price", FlightReplies.Price(s.Prices.For(p.Type)))
                .Add("flight_segment_cabin_relation", new TopObject().Add("flight_segment_item", new TopObject()
                    .Add("flight_segment_id", s.SegmentId)
                    .Add("cabin", s.Cabin)
                    .Add("cabin_class", s.CabinClass)
                    .Add("cabin_class_name", Catalog.ReferenceData.ClassName(s.CabinClass))))))
        .Add("flight_route", FlightReplies.Route(o.Segments))
        .Add("contact", FlightReplies.Contact(o.Contact));
}
