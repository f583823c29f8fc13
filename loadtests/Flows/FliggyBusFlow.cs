using Sandbox.LoadTests.Framework;
using Sandbox.LoadTests.Protocol;

namespace Sandbox.LoadTests.Flows;

/// <summary>
/// The operator's throughput, measured through the sandbox: each flow is one Fliggy customer's booking — book
/// (seat.query, then order.create into the operator), pay (order.confirm: issued), and for a share of flows a refund
/// (return.query, return.confirm); every <c>syncEvery</c>-th flow first re-syncs the catalogue (fromcity, tocity and
/// number.query for every route). The steps time what the customer waits for; the sandbox's own counters give the
/// operator's latency per Qimen method.
/// </summary>
public static class FliggyBusFlow
{
    public static Scenario Booking(BusClient client, IReadOnlyList<string> scheduleIds, int passengers, double refundShare, int syncEvery) =>
        Scenario.Create("fliggybus-flow", async ctx =>
        {
            var ct = ctx.CancellationToken;
            if (syncEvery > 0 && ctx.InvocationNumber % syncEvery == 0)
            {
                var sync = await Step.Run("sync", ctx, async () =>
                {
                    var reply = await client.SyncAsync(ct);
                    return reply.Status == 200 && reply.Field("status") == "complete" && reply.Body?["problems"]?.AsArray().Count == 0
                        ? Response.Ok()
                        : Response.Fail("sync", reply.Describe());
                });
                if (sync.IsError)
                {
                    return sync;
                }
            }

            var scheduleId = scheduleIds[ctx.Random.Next(scheduleIds.Count)];
            var booked = await Step.Run("book", ctx, async () =>
            {
                var reply = await client.BookAsync(scheduleId, passengers, ct);
                return reply.Status == 201 && reply.Field("status") == "1"
                    ? Response.Ok(reply.Field("alitripOrderId")!)
                    : Response.Fail<string>("book", reply.Describe());
            });
            if (booked.IsError)
            {
                return booked;
            }

            var id = booked.Payload!;
            var paid = await Step.Run("pay", ctx, async () =>
            {
                var reply = await client.ActAsync(id, "pay", ct);
                return reply.Status == 200 && reply.Field("status") is "3" or "2" ? Response.Ok() : Response.Fail("pay", reply.Describe());
            });
            if (paid.IsError || ctx.Random.NextDouble() >= refundShare)
            {
                return paid;
            }

            return await Step.Run("refund", ctx, async () =>
            {
                var reply = await client.ActAsync(id, "refund", ct);
                return reply.Status == 200 && reply.Field("status") is "11" or "9" ? Response.Ok() : Response.Fail("refund", reply.Describe());
            });
        });
}
