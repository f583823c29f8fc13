using System.Globalization;
using Sandbox.LoadTests.Framework;
using Sandbox.LoadTests.Protocol;

namespace Sandbox.LoadTests.Flows;

/// <summary>
/// The Yobaoxing scenic flow: GetProducts → OrderAndPayWithYDJ (order and deposit authorisation in one call) →
/// ActivateTicket → the delivery notification (Notify_OrderChanged, status 3) on the generator's own listener.
/// </summary>
public static class YobaoxingFlow
{
    private const string CallbackLatency = "callback latency (emitted → received)";
    private const string CallbackWithoutEmittedAt = "callbacks timed from ActivateTicket reply (no " + CallbackListener.EmittedAtHeader + ")";
    private const string Product = "成人票";

    private static readonly TimeSpan CallbackTimeout = TimeSpan.FromSeconds(30);

    private static long _sequence;

    public static Scenario Booking(YobaoxingClient client, YobaoxingCallbackListener callbacks) => Scenario.Create("yobaoxing-flow", async ctx =>
    {
        var ct = ctx.CancellationToken;
        var products = await Step.Run("GetProducts", ctx, async () =>
        {
            var reply = await client.GetAsync("GetProducts", [], ct);
            if (reply.Retcode != 0) return Failed<(string, string)>(reply);
            return reply.Items.FirstOrDefault(i => i.GetValueOrDefault("productname") == Product) is { } item
                ? Response.Ok((Id: item["productid"], Price: item["price"]))
                : Response.Fail<(string, string)>("bad-reply", $"no product {Product}");
        });
        if (products.IsError)
        {
            return products;
        }

        var (productId, price) = products.Payload;
        // The visit date is today in China time: ActivateTicket accepts today and the next two days only.
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var quantity = 1 + ctx.Random.Next(3);
        var money = (decimal.Parse(price, CultureInfo.InvariantCulture) * quantity).ToString("0.00", CultureInfo.InvariantCulture);
        var xcddh = $"LT{Environment.ProcessId}-{Interlocked.Increment(ref _sequence)}";
        var order = await Step.Run("OrderAndPayWithYDJ", ctx, async () =>
        {
            var reply = await client.GetAsync("OrderAndPayWithYDJ",
            [
                ("Order_list", productId + "|" + quantity.ToString(CultureInfo.InvariantCulture)), ("Mobile", client.Encrypt("138" + ctx.Random.Next(100_000_000).ToString("00000000", CultureInfo.InvariantCulture))),
                ("ID", client.Encrypt("A" + ctx.Random.Next(100_000_000).ToString(CultureInfo.InvariantCulture))), ("SXRQ", client.Encrypt(today)),
                ("SmsCode", client.PayPasswordField), ("money", money), ("smsModel", "A"), ("XCDDH", client.Encrypt(xcddh)),
            ], ct);
            if (reply.Retcode != 0) return Failed<string>(reply);
            return reply.Values.GetValueOrDefault("status") == "2" && reply.Values.GetValueOrDefault("Order_id") is { Length: 20 } id
                ? Response.Ok(id)
                : Response.Fail<string>("bad-reply", $"status {reply.Values.GetValueOrDefault("status")} without a 20-character Order_id");
        });
        if (order.IsError)
        {
            return order;
        }

        var orderId = order.Payload!;
        var activation = await Step.Run("ActivateTicket", ctx, async () =>
        {
            var reply = await client.GetAsync("ActivateTicket",
                [("orderid", orderId), ("activateall", "1"), ("activatedate", today), ("tickettype", "2"), ("activatemode", "1"), ("timespanindex", "-1")], ct);
            if (reply.Retcode != 0) return Failed<long>(reply);
            return reply.Values.GetValueOrDefault("ticketcount") == quantity.ToString(CultureInfo.InvariantCulture)
                ? Response.Ok(CallbackListener.UnixMicrosNow())
                : Response.Fail<long>("bad-reply", $"ticketcount {reply.Values.GetValueOrDefault("ticketcount")}, expected {quantity}");
        });
        if (activation.IsError)
        {
            return activation;
        }

        var repliedAt = activation.Payload;
        return await Step.Run("Callback", ctx, async () =>
        {
            if (await callbacks.WaitDeliveredAsync(orderId, CallbackTimeout, ct) is not { } notify)
            {
                return Response.Fail("timeout", $"no Notify_OrderChanged status 3 within {CallbackTimeout.TotalSeconds:0} s");
            }

            if (notify.EmittedAtUnixMs is { } emittedAt)
            {
                ctx.RecordLatency(CallbackLatency, TimeSpan.FromMicroseconds(notify.ReceivedUnixMicros - emittedAt * 1000));
            }
            else
            {
                ctx.IncrementCounter(CallbackWithoutEmittedAt);
                ctx.RecordLatency(CallbackLatency, TimeSpan.FromMicroseconds(notify.ReceivedUnixMicros - repliedAt));
            }

            return Response.Ok();
        });
    });

    private static Response<T> Failed<T>(YobaoxingReply reply) =>
        Response.Fail<T>(reply.Retcode.ToString(CultureInfo.InvariantCulture), reply.Retmsg);
}
