using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;

namespace Sandbox.Tests.FliggyBus;

/// <summary>Merchant replies turned into the events the order machines take (spec §4.6, §4.7, §4.9).</summary>
public sealed class ReplyEventTests
{
    static QimenCall Call(string method, string reply)
    {
        var parsed = QimenReply.Parse(200, reply);
        return new QimenCall
        {
            Method = method, Url = "http://x/q", Headers = [], Body = "{}", StringToSign = "", Sign = "", SentAt = DateTimeOffset.UtcNow,
            LatencyMs = 1, Outcome = parsed.Outcome, Reply = parsed,
        };
    }

    [Theory]
    [InlineData("""{"success":true,"status":"3"}""", BusEvents.ConfirmIssued)]
    [InlineData("""{"success":true,"status":"2"}""", BusEvents.ConfirmPending)]
    [InlineData("""{"success":true,"status":"5"}""", BusEvents.ConfirmFailed)]
    [InlineData("""{"success":false,"status":"3","retDesc":"系统异常"}""", null)]
    public void Confirm_status_maps_to_its_event(string reply, string? expected) =>
        Assert.Equal(expected, ReplyEvents.FromConfirm(Call(QimenMethods.OrderConfirm, reply))?.Name);

    [Fact]
    public void An_invalid_successful_reply_means_nothing()
    {
        var call = Call(QimenMethods.OrderConfirm, """{"success":true,"status":"3"}""") with
        {
            Findings = [Sandbox.Suppliers.FliggyBus.Validation.Finding.Error("agentIssueTime", "missing", "required")],
        };
        Assert.Null(ReplyEvents.FromConfirm(call));
    }

    [Fact]
    public void Order_query_reports_issue_and_offline_refunds_in_both_spellings()
    {
        var order = new BusOrder
        {
            Id = "1", Status = OrderStatus.AwaitingTickets,
            Tickets = [new BusTicket { PassengerId = "1", Status = "1" }, new BusTicket { PassengerId = "2", Status = "1" }, new BusTicket { PassengerId = "3", Status = "5" }],
        };
        var events = ReplyEvents.FromOrderQuery(Call(QimenMethods.OrderQuery,
            """{"success":true,"status":"3","passengerList":[{"passengerId":"1","isRefund":true,"refundAmount":2000},{"passengerId":"2","isRrefund":true,"refundAmount":1000},{"passengerId":"3","isRefund":true,"refundAmount":900}]}"""), order);
        Assert.Equal([BusEvents.ConfirmIssued, BusEvents.OfflineRefund], events.Select(e => e.Name));
        Assert.Equal(["1", "2"], events[1].PassengerIds!);
        Assert.Equal(3000, events[1].RefundAmount);
    }

    [Fact]
    public void Return_confirm_synchronous_and_asynchronous()
    {
        var sync = ReplyEvents.FromReturnConfirm(Call(QimenMethods.ReturnConfirm, """{"success":true,"refundStatus":"1","refundAmount":2700}"""), ["1"])!;
        Assert.Equal((BusEvents.ReturnRefunded, 2700L), (sync.Name, sync.RefundAmount));
        Assert.Equal(BusEvents.ReturnProcessing, ReplyEvents.FromReturnConfirm(Call(QimenMethods.ReturnConfirm, """{"success":true,"refundStatus":"2"}"""), ["1"])!.Name);
        Assert.Null(ReplyEvents.FromReturnConfirm(Call(QimenMethods.ReturnConfirm, """{"success":false,"retCode":"3002","retDesc":"已过退票时间"}"""), ["1"]));
    }
}
