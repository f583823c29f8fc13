using System.Globalization;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.Bpt.Model;
using Sandbox.Suppliers.Bpt.Protocol;
using Sandbox.Suppliers.TechHouse;
using Sandbox.Suppliers.TechHouse.Model;
using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Operations;

namespace Sandbox.LoadTests.Callbacks;

/// <summary>
/// The entity a supplier's notification is about, one distinct entity per message (its own order number, tickets and
/// integrator id), in the state that makes the supplier notify: the module then encodes and signs it as it would.
/// </summary>
internal static class CallbackSamples
{
    public sealed record Sample(string Supplier, string Callback, string Kind, string From, string To, Func<long, Entity> Entity);

    public static readonly IReadOnlyList<Sample> All =
    [
        new("techhouse", TechHouseSupplier.SyncOrderStatus, "order", "PENDING", "TICKETED", n => new FlightOrder
        {
            Id = "lf" + DateTime.UtcNow.ToString("yyMMddHHmmss", CultureInfo.InvariantCulture) + (n % 1_000_000).ToString("000000", CultureInfo.InvariantCulture),
            Status = "TICKETED",
            Tickets =
            [
                new Suppliers.TechHouse.Model.Ticket("1", "CA1501", "WEI", "ZHANG", "999" + (2_100_000_000L + n).ToString(CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
            ],
        }),
        new("bpt", BptCallbacks.TicketNoInfo, "order", "4", "1", n =>
        {
            var pnr = "LT" + (n % 10_000).ToString("0000", CultureInfo.InvariantCulture);
            return new BptOrder
            {
                Id = "CA-" + pnr,
                Status = "1",
                Air = "CA",
                BigPnr = pnr,
                SmallPnr = pnr,
                PnrSrcId = "LOAD" + n.ToString(CultureInfo.InvariantCulture),
                B2bUser = "SCH640",
                PayStatus = "1",
                TicketPrice = 1180.0m,
                TotalTax = 180.0m,
                PayPrice = 1289.2m,
                OrderNo = "CA" + DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + (n % 1_000_000).ToString("000000", CultureInfo.InvariantCulture),
                Passengers = [new BptPassenger("张伟", "ADT", "110101199003077777")],
                Segments = [new BptSegment("CA1501", "PEK", "SHA", DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "0800", "1015", "Y")],
                Tickets = [new BptTicket("张伟", "999-" + (2_100_000_000L + n).ToString(CultureInfo.InvariantCulture))],
                Message = BptCallbacks.TicketedText,
            };
        }),
        new("yobaoxing", Notifications.OrderChanged, "order", "0", "2", n => new TicketOrder
        {
            Id = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + (n % 1_000_000).ToString("000000", CultureInfo.InvariantCulture),
            SenderId = "LOAD" + n.ToString(CultureInfo.InvariantCulture),
            Status = "2",
        }),
    ];
}
