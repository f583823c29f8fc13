using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sandbox.LoadTests.Framework;
using Sandbox.LoadTests.Protocol;

namespace Sandbox.LoadTests.Flows;

/// <summary>
/// The Fliggy flight flow of an agency on the TOP gateway, one order per invocation: alitrip.flight.service.search →
/// airbook (the first shop item) → pay → the TradeNotify of the payment (type 1) received over the TMC WebSocket channel
/// and confirmed, as an agency's TMC consumer does.
/// </summary>
public static class FliggyFlightFlow
{
    private const string Search = "alitrip.flight.service.search";
    private const string Airbook = "alitrip.flight.service.airbook";
    private const string Pay = "alitrip.flight.service.pay";

    private static readonly (string From, string To)[] Routes = [("BJS", "SHA"), ("SHA", "BJS"), ("BJS", "CAN"), ("SHA", "SZX"), ("SHA", "CTU"), ("CAN", "CTU")];

    private const string TradeNotify = "TradeNotify";
    private const string NoticeLatency = "TradeNotify latency (published → received)";
    private static readonly TimeSpan NoticeTimeout = TimeSpan.FromSeconds(30);

    private static long _sequence = Random.Shared.Next(0, 1_000_000);

    public static Scenario Booking(TopClient client, TmcConsumer tmc) => Scenario.Create("fliggy-flight", async ctx =>
    {
        var ct = ctx.CancellationToken;
        var item = await Step.Run(Search, ctx, async () =>
        {
            using var reply = await client.CallAsync(Search, [("search_flight_info_req", SearchRequest(ctx.Random))], ct);
            if (!reply.Ok)
            {
                return Response.Fail<JsonObject>("search", reply.Describe());
            }

            foreach (var candidate in reply.Inner.GetProperty("flight_item_list").GetProperty("flight_item").EnumerateArray())
            {
                if (candidate.GetProperty("product_type").GetString() == "OTA" && !candidate.TryGetProperty("member_type", out _))
                {
                    return Response.Ok(JsonNode.Parse(candidate.GetRawText())!.AsObject());
                }
            }

            return Response.Fail<JsonObject>("bad-reply", "no plain OTA item");
        });
        if (item.IsError)
        {
            return item;
        }

        var booking = BookingRequest(item.Payload!, $"LT{Environment.ProcessId}-{Interlocked.Increment(ref _sequence)}", ctx.Random);
        var order = await Step.Run(Airbook, ctx, async () =>
        {
            using var reply = await client.CallAsync(Airbook, [("create_order_request", booking.Request)], ct);
            return reply.Ok ? Response.Ok(reply.Inner.GetProperty("order_id").GetInt64()) : Response.Fail<long>("airbook", reply.Describe());
        });
        if (order.IsError)
        {
            return order;
        }

        var orderId = order.Payload.ToString(CultureInfo.InvariantCulture);
        var pay = await Step.Run(Pay, ctx, async () =>
        {
            using var reply = await client.CallAsync(Pay, [("order_id", orderId), ("total_price", booking.Total)], ct);
            return reply.Ok ? Response.Ok() : Response.Fail("pay", reply.Describe());
        });
        if (pay.IsError)
        {
            return pay;
        }

        return await Step.Run(TradeNotify, ctx, async () =>
        {
            if (await tmc.WaitAsync(orderId, NoticeTimeout, ct) is not { } notice)
            {
                return Response.Fail("timeout", $"no alitrip_flight_TradeNotify type 1 over TMC within {NoticeTimeout.TotalSeconds:0} s");
            }

            if (notice.PublishedUnixMillis > 0)
            {
                ctx.RecordLatency(NoticeLatency, TimeSpan.FromMicroseconds(notice.ReceivedUnixMicros - notice.PublishedUnixMillis * 1000));
            }

            return Response.Ok();
        });
    });

    /// <summary>One signed listing search per invocation: the gateway's cost next to the <c>baseline</c> command's.</summary>
    public static Scenario SearchOnly(TopClient client) => Scenario.Create("fliggy-search", async ctx =>
        await Step.Run(Search, ctx, async () =>
        {
            using var reply = await client.CallAsync(Search, [("search_flight_info_req", SearchRequest(ctx.Random))], ctx.CancellationToken);
            return reply.Ok ? Response.Ok() : Response.Fail("search", reply.Describe());
        }));

    /// <summary>A route of the default catalogue, departing 2 to 60 days from today (China time).</summary>
    internal static string SearchRequest(Random random) => SearchRequest(Routes[random.Next(Routes.Length)], 2 + random.Next(59));

    /// <summary>Every request <see cref="SearchRequest(Random)"/> draws from: each route, 2 to 60 days ahead.</summary>
    internal static IEnumerable<string> AllSearchRequests() =>
        from route in Routes from days in Enumerable.Range(2, 59) select SearchRequest(route, days);

    private static string SearchRequest((string From, string To) route, int daysAhead) => new JsonObject
    {
        ["search_od_info_list"] = new JsonArray(new JsonObject
        {
            ["dep_city_code"] = route.From, ["arr_city_code"] = route.To,
            ["dep_date"] = DateTime.UtcNow.AddHours(8).AddDays(daysAhead).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }),
    }.ToJsonString();

    /// <summary>create_order_request for one adult at the item's prices, with a randomised name and ID card number.</summary>
    internal static (string Request, string Total) BookingRequest(JsonObject item, string outOrderNo, Random random)
    {
        decimal F(string name) => item[name]!.GetValue<decimal>();
        var total = F("adt_flight_item_price") + F("adt_build_fee") + F("adt_oil_fee");
        var id = "11010119" + random.Next(60, 99).ToString(CultureInfo.InvariantCulture) + "0101" + random.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        var request = new JsonObject
        {
            ["out_order_no"] = outOrderNo,
            ["item_id"] = item["item_id"]!.GetValue<string>(),
            ["total_price"] = total,
            ["adt_flight_item_price"] = F("adt_flight_item_price"),
            ["adt_build_fee"] = F("adt_build_fee"),
            ["adt_oil_fee"] = F("adt_oil_fee"),
            ["contact"] = new JsonObject { ["name"] = "压测", ["mobile_phone_number"] = "13800000000", ["mobile_country_code"] = "86" },
            ["passenger_list"] = new JsonArray(new JsonObject
            {
                ["name"] = "乘客" + random.Next(10_000).ToString(CultureInfo.InvariantCulture), ["type"] = 0, ["credential_type"] = 0, ["credential_no"] = id,
            }),
        };
        return (request.ToJsonString(), total.ToString(CultureInfo.InvariantCulture));
    }
}
