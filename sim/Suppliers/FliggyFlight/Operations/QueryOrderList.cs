using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.FliggyFlight.Protocol;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyFlight.Operations;

/// <summary>
/// alitrip.flight.service.queryorderlist (查询订单列表, spec §2.7): the session user's orders booked in
/// [book_time_start, book_time_end) — at most 31 days — newest first, filtered by status code and out_order_no, paged.
/// </summary>
static class QueryOrderList
{
    public const string Method = "alitrip.flight.service.queryorderlist";

    public static TopObject Handle(FlightCall call)
    {
        var req = call.Param("query_order_list_request");
        if (!Times.TryParse(req.Str("book_time_start", required: true), out var start) || !Times.TryParse(req.Str("book_time_end", required: true), out var end))
            throw FlightError.ParamError($"book_time_start and book_time_end are {Times.Format}");
        if (end <= start || end - start > TimeSpan.FromDays(31)) throw FlightError.ParamError("book_time_end is after book_time_start, at most 31 days later");
        var status = req.Int("order_status_code");
        if (status is < 1 or > 5) throw FlightError.ParamError("order_status_code is 1 to 5");
        var outOrderNo = req.Str("out_order_no");
        var pageNo = req.Int("page_no") ?? 1;
        var pageSize = req.Int("page_size") ?? 20;
        if (pageNo < 1 || pageSize is < 1 or > 100) throw FlightError.ParamError("page_no from 1, page_size 1 to 100");

        var orders = call.Services.Orders.Query(call.Tenant.Id, start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds() - 1)
            .Where(o => o.UserId == call.User.UserId
                        && (status is null || OrderStatus.Code(o.Status) == status)
                        && (outOrderNo is null || o.OutOrderNo == outOrderNo))
            .ToList();
        return FlightCall.Ok()
            .Add("total_count", orders.Count)
            .Add("page_no", pageNo)
            .Add("page_size", pageSize)
            .Add("order_list", TopList.Of("flight_order_summary", orders.Skip((pageNo - 1) * pageSize).Take(pageSize).Select(Summary)));
    }

    static TopObject Summary(FlightOrder o) => new TopObject()
        .Add("order_id", o.OrderId)
        .Add("out_order_no", o.OutOrderNo)
        .Add("order_status", OrderStatus.Text(o.Status))
        .Add("order_status_code", OrderStatus.Code(o.Status))
        .Money("total_price", o.TotalPrice)
        .Add("book_time", Times.Of(o.CreatedMs))
        .Add("pay_time", Times.Of(o.PayTimeMs))
        .Add("dep_city_code", o.Segments[0].DepCity)
        .Add("arr_city_code", o.Segments.Where(s => s.Journey == 0).Last().ArrCity)
        .Add("dep_time", o.Segments[0].DepTime)
        .Add("passenger_count", o.Passengers.Count);
}
