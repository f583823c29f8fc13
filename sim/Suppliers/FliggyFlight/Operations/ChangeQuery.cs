using System.Globalization;
using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.FliggyFlight.Protocol;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyFlight.Operations;

/// <summary>
/// alitrip.flight.change.order.query (改签单查询, spec §2.14): the change orders of an order, or one change order — each
/// with its new itinerary, its passengers (new tickets once ticketed) and its fees.
/// </summary>
static class ChangeQuery
{
    public const string Method = "alitrip.flight.change.order.query";

    public static TopObject Handle(FlightCall call)
    {
        var orderId = call.Top.Long("order_id");
        var changeId = call.Top.Long("change_order_id");
        if (orderId is null && changeId is null) throw TopError.MissingArgument("order_id|change_order_id");
        List<ChangeOrder> changes;
        if (changeId is { } id)
        {
            var change = call.Change(id);
            if (orderId is { } o && change.OrderId != o) throw FlightError.ChangeOrderNotFound();
            changes = [change];
        }
        else
        {
            var order = call.Order(orderId!.Value);
            List<long> ids;
            lock (order) ids = [.. order.ChangeIds];
            changes = ids.Select(x => call.Services.Changes.Get(call.Tenant.Id, x.ToString(CultureInfo.InvariantCulture))).OfType<ChangeOrder>().ToList();
        }
        return FlightCall.Ok().Add("change_order_list", TopList.Of("change_order", changes.Select(Item)));
    }

    static TopObject Item(ChangeOrder c)
    {
        lock (c)
            return new TopObject()
                .Add("change_order_id", c.ChangeOrderId)
                .Add("order_id", c.OrderId)
                .Add("change_status", ChangeStatus.Code(c.Status))
                .Add("change_status_desc", ChangeStatus.Text(c.Status))
                .Add("change_type", c.ChangeType)
                .Money("pay_amount", c.PayAmount)
                .Add("pay_time", Times.Of(c.PayTimeMs))
                .Add("create_time", Times.Of(c.CreatedMs))
                .Add("flight_route", FlightReplies.Route(c.Segments))
                .Add("passenger_list", TopList.Of("passenger", c.Passengers.Select(p => new TopObject()
                    .Add("name", p.Name)
                    .Add("type", (int)p.Type)
                    .Add("credential_no", p.CredentialNo)
                    .Add("ticket_no", p.TicketNo))))
                .Add("change_fee_detail_list", TopList.Of("change_fee_detail", c.Fees.Select(ChangeCreate.Fee)));
    }
}
