using Sandbox.Suppliers.FliggyBus.Qimen;

namespace Sandbox.Tests.FliggyBus;

/// <summary>
/// Spec §3 and §8 on the tenant's virtual clock: create retried with the same alitripOrderId (and given up with
/// nothing to close), confirm retried then order.query then order.close with closeType 2, the ticketing timeout — and a
/// pending retry that survives a restart.
/// </summary>
public sealed class BusRetryTests : BusLoop
{
    [Fact]
    public async Task Create_is_retried_with_the_same_body_after_its_delay_on_the_virtual_clock()
    {
        await SyncAsync();
        Operator.Apis.FailCreates = 1;
        var booked = await BookAsync(Schedule(5));
        var id = S(booked["alitripOrderId"]);
        Assert.Equal("creating", S(booked["status"]));
        Assert.Equal(2, booked["pendingCall"]!["attempt"]!.GetValue<int>());
        Assert.Equal("failure", S(booked["pendingCall"]!["lastVerdict"]));

        await AdvanceAsync("PT1S");
        Assert.Equal("1", S((await OrderAsync(id))["status"]));
        var creates = Operator.Received.Where(r => r.Method == QimenMethods.OrderCreate).ToList();
        Assert.Equal(2, creates.Count);
        Assert.Equal(creates[0].Body, creates[1].Body);
        var log = await CallsAsync(QimenMethods.OrderCreate, id);
        Assert.Equal([2, 1], log.Select(c => c!["attempt"]!.GetValue<int>()));
        Assert.Equal(["success", "failure"], log.Select(c => S(c!["verdict"])));
    }

    [Fact]
    public async Task Create_failing_every_attempt_fails_the_booking_and_closes_nothing()
    {
        await SyncAsync();
        Operator.Apis.FailCreates = 3;
        var id = S((await BookAsync(Schedule(5)))["alitripOrderId"]);
        await AdvanceAsync("PT5S");
        var failed = await OrderAsync(id);
        Assert.Equal("create-failed", S(failed["status"]));
        Assert.Contains("下单失败，请重试", S(failed["note"]));
        Assert.Equal(3, Received(QimenMethods.OrderCreate).Count);
        Assert.Empty(Received(QimenMethods.OrderClose));
        await ActAsync(id, "pay", expect: 409);
    }

    [Fact]
    public async Task Confirm_failing_every_attempt_asks_order_query_then_closes_with_close_type_2()
    {
        await SyncAsync();
        var id = S((await BookAsync(Schedule(5)))["alitripOrderId"]);
        Operator.Apis.FailConfirms = true;
        var paid = await ActAsync(id, "pay");
        Assert.Equal("1", S(paid["status"]));
        Assert.Equal(QimenMethods.OrderConfirm, S(paid["pendingCall"]!["method"]));

        await AdvanceAsync("PT9M");
        var closed = await OrderAsync(id);
        Assert.Equal("4", S(closed["status"]));
        Assert.Equal(["3", "3"], closed["tickets"]!.AsArray().Select(t => S(t!["status"])));
        Assert.Equal(12000, closed["refundedAmount"]!.GetValue<long>());
        Assert.Equal(5, Received(QimenMethods.OrderConfirm).Count);
        Assert.Single(Received(QimenMethods.OrderQuery));
        Assert.Equal(2, Assert.Single(Received(QimenMethods.OrderClose))["closeType"]!.GetValue<int>());
        // The five attempts went out at the §3 delays: 30 s, 1 min, 2 min, 5 min after the previous.
        var at = (await CallsAsync(QimenMethods.OrderConfirm, id)).Select(c => DateTimeOffset.Parse(S(c!["virtualAt"]))).Reverse().ToList();
        Assert.Equal([30, 60, 120, 300], at.Zip(at.Skip(1), (a, b) => (int)Math.Round((b - a).TotalSeconds)));
    }

    [Fact]
    public async Task No_bookticket_confirm_within_the_ticketing_timeout_closes_the_order()
    {
        Operator.Apis.AsyncTicketing = true;
        await SyncAsync();
        var id = S((await BookAsync(Schedule(5)))["alitripOrderId"]);
        Assert.Equal("2", S((await ActAsync(id, "pay"))["status"]));

        await AdvanceAsync("PT31M");
        var closed = await OrderAsync(id);
        Assert.Equal("4", S(closed["status"]));
        Assert.Equal(12000, closed["refundedAmount"]!.GetValue<long>());
        Assert.Equal(2, Assert.Single(Received(QimenMethods.OrderClose))["closeType"]!.GetValue<int>());

        var late = await BusTopAsync("taobao.bus.agent.bookticket.confirm", "param_agent_confirm_book_r_q", Operator.Apis.Issued(id));
        Assert.False(late["is_success"]!.GetValue<bool>());
        Assert.Equal("ORDER_STATUS_ERROR", S(late["result_code"]));
    }

    [Fact]
    public async Task A_retry_pending_at_a_restart_is_made_after_it()
    {
        await SyncAsync();
        Operator.Apis.FailCreates = 1;
        var id = S((await BookAsync(Schedule(5)))["alitripOrderId"]);
        Assert.Equal("creating", S((await OrderAsync(id))["status"]));
        await Host.RestartAsync();
        await AdvanceAsync("PT2S");
        Assert.Equal("1", S((await OrderAsync(id))["status"]));
        Assert.Equal(2, Received(QimenMethods.OrderCreate).Count);
    }
}
