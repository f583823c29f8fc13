using System.Globalization;
using Sandbox.Engine.Pipeline;
using Sandbox.Suppliers.TechHouse.Model;
using Sandbox.Suppliers.TechHouse.Protocol;

namespace Sandbox.Suppliers.TechHouse.Operations;

/// <summary>GetOrderList and GetOrderDetail (spec §5.13, §5.14): live order state.</summary>
static class Orders
{
    static readonly string[] TimeFormats = ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz"];

    public static SupplierReply GetOrderList(TechHouseCall call)
    {
        var r = call.Request;
        var start = Time(r.OptStr("startTime"));
        var end = Time(r.OptStr("endTime"));
        if (start is null || end is null || end < start)
            throw new TechHouseError(TechHouseStatus.BadDateFormat, "GetOrderList: bad date format (yyyy-MM-ddTHH:mm:ss+08:00)");
        // startTime == endTime (as in the document's sample) means that whole calendar day in the given offset.
        if (start == end)
        {
            var day = new DateTimeOffset(start.Value.Date, start.Value.Offset);
            (start, end) = (day, day.AddDays(1).AddTicks(-1));
        }
        string? status = null;
        if (r.OptStr("orderStatus") is { Length: > 0 } text)
            status = OrderStatus.Parse(text) ?? throw new TechHouseError(TechHouseStatus.UnknownOrderStatus, $"GetOrderList: unknown order status {text}");

        var orders = call.Services.Orders.Query(call.Tenant.Id, start.Value.ToUnixTimeMilliseconds(), end.Value.ToUnixTimeMilliseconds());
        var reply = call.Ok();
        var w = reply.W;
        w.WriteStartArray("bookingList");
        foreach (var o in orders)
        {
            if (status is not null && o.Status != status) continue;
            w.WriteStartObject();
            w.WriteString("orderNo", o.Id);
            w.WriteString("orderStatus", o.Status);
            w.WriteString("createTime", (o.CreatedMs / 1000.0).ToString("0.00", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        return call.Finish(reply);
    }

    static DateTimeOffset? Time(string? s) =>
        s is not null && DateTimeOffset.TryParseExact(s, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    public static SupplierReply GetOrderDetail(TechHouseCall call)
    {
        var r = call.Request;
        var orderNo = r.OptStr("orderno") ?? r.Str("orderNo");
        var order = call.Services.Orders.Get(call.Tenant.Id, orderNo);
        if (order is null) throw new TechHouseError(TechHouseStatus.BadParameter, "order not found");
        var email = r.OptStr("email");
        if (!string.IsNullOrEmpty(email) && !email.Equals(order.Contact.Email, StringComparison.OrdinalIgnoreCase))
            throw new TechHouseError(TechHouseStatus.BadParameter, "order not found");
        var place = r.OptStr("cardIssuePlace");
        if (!string.IsNullOrEmpty(place) && order.Passengers.All(p => !p.CardIssuePlace.Equals(place, StringComparison.OrdinalIgnoreCase)))
            throw new TechHouseError(TechHouseStatus.BadParameter, "order not found");
        call.Ctx.EntityKey = TechHouseServices.OrderKey(order.Id);

        var reply = call.Ok();
        var w = reply.W;
        lock (order)
        {
            w.WriteString("fromcity", order.Routing.FromCity);
            w.WriteString("tocity", order.Routing.ToCity);
            w.WriteString("currency", order.Currency);
            w.WriteString("orderStatus", OrderStatus.ForDetail(order.Status));
            w.WriteString("orderNo", order.Id);
            w.WriteNumber("orderDate", order.OrderDate);
            w.WriteNumber("paymentDate", order.PaymentDate);
            reply.Money("totalCost", order.TotalCost);
            w.WriteString("sessionId", order.SessionId);
            w.WriteString("paymentCode", order.PaymentCode);
            w.WriteStartObject("routing");
            w.WriteStartArray("fares");
            foreach (var p in order.Passengers)
            {
                w.WriteStartObject();
                w.WriteString("passengerId", p.PassengerId);
                reply.Money("fare", order.Routing.FareFor(p.AgeType));
                reply.Money("tax", order.Routing.TaxFor(p.AgeType));
                w.WriteString("currency", order.Routing.Currency);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            reply.Segments("fromSegments", order.Routing.FromSegments, call.Settings.CodeShareAsString, detail: true);
            reply.Segments("retSegments", order.Routing.RetSegments, call.Settings.CodeShareAsString, detail: true);
            w.WriteEndObject();
            w.WriteStartArray("passengers");
            foreach (var p in order.Passengers)
            {
                w.WriteStartObject();
                w.WriteString("passengerId", p.PassengerId);
                w.WriteString("lastName", p.LastName);
                w.WriteString("firstName", p.FirstName);
                w.WriteNumber("ageType", p.AgeType);
                w.WriteString("birthday", p.Birthday);
                w.WriteString("gender", p.Gender);
                w.WriteString("cardNum", p.CardNum);
                w.WriteString("cardType", p.CardType);
                w.WriteString("cardIssuePlace", p.CardIssuePlace);
                w.WriteString("cardExpired", p.CardExpired);
                w.WriteString("nationality", p.Nationality);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            var c = order.Contact;
            w.WriteStartObject("contact");
            w.WriteString("firstName", c.FirstName);
            w.WriteString("lastName", c.LastName);
            w.WriteString("name", $"{c.LastName}/{c.FirstName}");
            w.WriteString("address", c.Address);
            w.WriteString("postcode", c.Postcode);
            w.WriteString("email", c.Email);
            w.WriteString("mobile", c.Mobile);
            w.WriteEndObject();
            w.WriteStartArray("ssrs");
            foreach (var s in order.Ssrs)
            {
                w.WriteStartObject();
                w.WriteString("flightNumber", s.FlightNumber);
                w.WriteString("ssrcode", s.Ssrcode);
                w.WriteNumber("count", s.Count);
                w.WriteString("passengerId", s.PassengerId);
                reply.Money("amount", s.Amount * s.Count);
                w.WriteString("currency", s.Currency);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("seats");
            foreach (var s in order.Seats)
            {
                w.WriteStartObject();
                w.WriteString("flightNumber", s.FlightNumber);
                w.WriteString("designator", s.Designator);
                w.WriteString("passengerId", s.PassengerId);
                reply.Money("amount", s.Amount);
                w.WriteString("currency", s.Currency);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Tickets(reply, order.Status == OrderStatus.Ticketed ? order.Tickets : []);
        }
        return call.Finish(reply);
    }

    public static void Tickets(JsonReply reply, IEnumerable<Ticket> tickets)
    {
        var w = reply.W;
        w.WriteStartArray("tickets");
        foreach (var t in tickets)
        {
            w.WriteStartObject();
            w.WriteString("passengerId", t.PassengerId);
            w.WriteString("flightNumber", t.FlightNumber);
            w.WriteString("firstName", t.FirstName);
            w.WriteString("lastName", t.LastName);
            w.WriteString("ticketNo", t.TicketNo);
            w.WriteNumber("createTime", t.CreateTime);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
