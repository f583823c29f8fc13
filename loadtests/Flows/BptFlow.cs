using System.Globalization;
using Sandbox.LoadTests.Framework;
using Sandbox.LoadTests.Protocol;

namespace Sandbox.LoadTests.Flows;

/// <summary>
/// The full BPT flow of a ticketing agent, one ticket per invocation: newquerypricebypnr → input → pay →
/// ticketoutcallback → the ticketnoinfo notice → newqueryorder (status 1).
/// </summary>
public static class BptFlow
{
    private const string CallbackLatency = "notice latency (emitted → received)";
    private static readonly TimeSpan CallbackTimeout = TimeSpan.FromSeconds(30);
    private static readonly string[] Airlines = ["CA", "MU", "CZ", "HU", "3U", "ZH"];
    private static long _sequence = Random.Shared.Next(0, 1_000_000);

    public static Scenario Ticketing(BptClient client, BptCallbackListener notices) => Scenario.Create("bpt-flow", async ctx =>
    {
        var ct = ctx.CancellationToken;
        var n = Interlocked.Increment(ref _sequence);
        // Unique per run (the tenant is new each run): never a ZZ trigger PNR.
        var pnr = "L" + Base32(n, 5);
        var pnrc = "S" + Base32(n * 7 + 3, 5);
        var air = Airlines[n % Airlines.Length];
        var srcId = "LT" + n.ToString(CultureInfo.InvariantCulture);
        var callbackUrl = notices.Url.ToString();

        var price = await Step.Run("newquerypricebypnr", ctx, async () =>
        {
            var r = await client.NewQueryPriceByPnrAsync(pnr, air, ct);
            return r.Ok && r["payprice"] is { } p ? Response.Ok(p) : Response.Fail<string>("0", r.Error);
        });
        if (price.IsError)
        {
            return price;
        }

        var input = await Step.Run("input", ctx, async () => Checked(await client.InputAsync(pnr, pnrc, air, srcId, callbackUrl, ct)));
        if (input.IsError)
        {
            return input;
        }

        var pay = await Step.Run("pay", ctx, async () => Checked(await client.PayAsync(pnr, pnrc, air, srcId, price.Payload!, ct)));
        if (pay.IsError)
        {
            return pay;
        }

        var ticketing = await Step.Run("ticketoutcallback", ctx, async () => Checked(await client.TicketOutCallbackAsync(pnr, air, srcId, callbackUrl, ct)));
        if (ticketing.IsError)
        {
            return ticketing;
        }

        var notice = await Step.Run("ticketnoinfo", ctx, async () =>
        {
            if (await notices.WaitAsync(srcId, CallbackTimeout, ct) is not { } received)
            {
                return Response.Fail("timeout", $"no ticketnoinfo notice within {CallbackTimeout.TotalSeconds:0} s");
            }

            if (received.EmittedAtUnixMs is { } emittedAt)
            {
                ctx.RecordLatency(CallbackLatency, TimeSpan.FromMicroseconds(received.ReceivedUnixMicros - emittedAt * 1000));
            }

            return received.Notice.Ok && received.Notice["tktno"] is { Length: 14 }
                ? Response.Ok()
                : Response.Fail("notice", $"orderstatus {received.Notice["orderstatus"]}: {received.Notice["message"]}");
        });
        if (notice.IsError)
        {
            return notice;
        }

        return await Step.Run("newqueryorder", ctx, async () =>
        {
            var r = await client.NewQueryOrderAsync(pnr, air, srcId, ct);
            return r.Ok && r["status"] == "1" ? Response.Ok() : Response.Fail("status", $"status {r["status"]}: {r.Error}");
        });
    });

    private static Response<object?> Checked(BptReply reply) => reply.Ok ? Response.Ok() : Response.Fail("0", reply.Error);

    private static string Base32(long value, int length)
    {
        const string digits = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var chars = new char[length];
        for (var i = length - 1; i >= 0; i--, value /= 32)
        {
            chars[i] = digits[(int)(value % 32)];
        }

        return new string(chars);
    }
}
