using System.Globalization;
using Sandbox.LoadTests.Framework;
using Sandbox.LoadTests.Protocol;

namespace Sandbox.LoadTests.Flows;

public static class TechHouseFlow
{
    private const string CallbackLatency = "callback latency (emitted → received)";
    private const string CallbackWithoutEmittedAt = "callbacks timed from Commit reply (no " + CallbackListener.EmittedAtHeader + ")";
    private const int RouteType = 1;

    private static readonly TimeSpan CallbackTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] FirstNames = ["YANG", "WEI", "LI", "MING", "HUA", "JING", "LEI", "FANG", "TAO", "YAN"];

    /// <summary>One booking per invocation: search, price, passengers, payment, commit, then the ticketing push.</summary>
    public static Scenario Booking(TechHouseClient client, CallbackListener callbacks) => Scenario.Create("techhouse-flow", async ctx =>
    {
        var ct = ctx.CancellationToken;
        var search = await Step.Run("LowFareSearch", ctx, async () =>
        {
            var reply = await client.LowFareSearchAsync(SearchRequest(ctx.Random), ct);
            return reply is { Status: 0, Routings: [{ Data: not null, Currency: not null } first, ..] }
                ? Response.Ok(first)
                : Failed<Routing>(reply, "routings[0] with data and currency");
        });
        if (search.IsError)
        {
            return search;
        }

        var routing = search.Payload!;
        var pricing = await Step.Run("AirPricing", ctx, async () =>
        {
            var reply = await client.AirPricingAsync(new AirPricingRequest(new RoutingRef(routing.Data!), "1", "0"), ct);
            return reply is { Status: 0, SessionId: { } sessionId } ? Response.Ok(sessionId) : Failed<string>(reply, "sessionId");
        });
        if (pricing.IsError)
        {
            return pricing;
        }

        var sessionId = pricing.Payload!;
        var passengers = await Step.Run("SetPassengers", ctx, async () =>
            Checked(await client.SetPassengersAsync(PassengersRequest(sessionId, ctx.Random), ct)));
        if (passengers.IsError)
        {
            return passengers;
        }

        var payment = await Step.Run("SetPaymentToBooking", ctx, async () =>
            Checked(await client.SetPaymentToBookingAsync(new SetPaymentToBookingRequest(sessionId, RouteType, "AG", routing.Currency!), ct)));
        if (payment.IsError)
        {
            return payment;
        }

        var commit = await Step.Run("Commit", ctx, async () =>
        {
            var reply = await client.CommitAsync(new CommitRequest(sessionId, RouteType), ct);
            return reply is { Status: 0, OrderNo: { } orderNo }
                ? Response.Ok((OrderNo: orderNo, RepliedAt: CallbackListener.UnixMicrosNow()))
                : Failed<(string OrderNo, long RepliedAt)>(reply, "orderNo");
        });
        if (commit.IsError)
        {
            return commit;
        }

        var (orderNo, repliedAt) = commit.Payload;
        return await Step.Run("Callback", ctx, async () =>
        {
            if (await callbacks.WaitAsync(orderNo, CallbackTimeout, ct) is not { } push)
            {
                return Response.Fail("timeout", $"no SyncOrderStatus push within {CallbackTimeout.TotalSeconds:0} s");
            }

            // The emitted-at header isolates delivery from ticketing time; without it the sim's processing is included.
            if (push.EmittedAtUnixMs is { } emittedAt)
            {
                ctx.RecordLatency(CallbackLatency, TimeSpan.FromMicroseconds(push.ReceivedUnixMicros - emittedAt * 1000));
            }
            else
            {
                ctx.IncrementCounter(CallbackWithoutEmittedAt);
                ctx.RecordLatency(CallbackLatency, TimeSpan.FromMicroseconds(push.ReceivedUnixMicros - repliedAt));
            }

            return push.Body.OrderStatus == "TICKETED"
                ? Response.Ok()
                : Response.Fail("order-status", $"pushed orderStatus {push.Body.OrderStatus}: {push.Body.Msg}");
        });
    });

    public static Scenario GetBalance(TechHouseClient client) => Scenario.Create("getbalance", async ctx =>
        await Step.Run("GetBalance", ctx, async () => Checked(await client.GetBalanceAsync(ctx.CancellationToken))));

    private static Response<object?> Checked(TechHouseReply reply) =>
        reply.Status == 0 ? Response.Ok() : Response.Fail(reply.Status.ToString(CultureInfo.InvariantCulture), reply.Msg ?? "");

    private static Response<T> Failed<T>(TechHouseReply reply, string expectedField) =>
        reply.Status != 0
            ? Response.Fail<T>(reply.Status.ToString(CultureInfo.InvariantCulture), reply.Msg ?? "")
            : Response.Fail<T>("bad-reply", $"status 0 but no {expectedField}");

    // Departure dates are spread over the next 60 days (China time, as the supplier sees them) so that the sim's
    // per-date caches and inventories are exercised rather than one hot key.
    private static LowFareSearchRequest SearchRequest(Random random)
    {
        var chinaToday = DateTime.UtcNow.AddHours(8).Date;
        var fromDate = chinaToday.AddDays(1 + random.Next(60)).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        return new LowFareSearchRequest("1", "PEK", "SHA", fromDate, "", "1", "0");
    }

    private static SetPassengersRequest PassengersRequest(string sessionId, Random random)
    {
        var firstName = FirstNames[random.Next(FirstNames.Length)];
        var lastName = string.Create(random.Next(3, 9), random, static (letters, r) =>
        {
            for (var i = 0; i < letters.Length; i++)
            {
                letters[i] = (char)('A' + r.Next(26));
            }
        });
        var passenger = new Passenger(
            "0", firstName, lastName, 0, "19830418", random.Next(2) == 0 ? "F" : "M",
            $"G{random.Next(100_000_000):D8}", "PP", "CN", "20300506", "CN");
        var contact = new Contact(firstName, lastName, "No.99 Fuquan Road, Shanghai", "200335", "load@example.com", "+86 13774293883");
        return new SetPassengersRequest(sessionId, RouteType, [passenger], contact);
    }
}
