using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Yobaoxing;

/// <summary>
/// xyfp reads the same for the same order on QueryOrder and QueryOrdersList: QueryOrder's documented "0需要 1不需要"
/// (QueryOrdersList's own text is garbled), the inverse of the NeedInvoice parameter the order was booked with.
/// </summary>
public sealed class InvoiceFlagTests : IAsyncLifetime
{
    SandboxHost _host = null!;
    YobaoxingClient _client = null!;
    YobaoxingSteps _steps = null!;

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync();
        _client = new YobaoxingClient(_host.Http);
        _steps = new YobaoxingSteps(_host, _client);
        await _steps.FreezeAtMorning();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData("1", "0")]
    [InlineData("0", "1")]
    public async Task Both_order_pages_give_the_same_xyfp(string needInvoice, string xyfp)
    {
        var p = await _steps.Products();
        var booked = await _client.Get("OrderProducts", [.. _steps.Order(p["成人票"] + "|1"), ("NeedInvoice", needInvoice), ("InvoiceTitle", _client.Enc("游宝星测试公司"))]);
        Assert.Equal(0, booked.Retcode);
        var order = booked.Value("orderid");
        Assert.Equal(xyfp, (await _client.Get("QueryOrder", ("order_id", order))).Value("xyfp"));
        var row = (await _client.Get("QueryOrdersList", ("Page_index", "0"))).Items().Single(i => i.Element("orderid")!.Value == order);
        Assert.Equal(xyfp, row.Element("xyfp")!.Value);
    }
}
