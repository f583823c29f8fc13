using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Yobaoxing.Catalog;
using Sandbox.Suppliers.Yobaoxing.Model;

namespace Sandbox.Suppliers.Yobaoxing.Protocol;

/// <summary>One page being handled: its parameters, the tenant's KEY, account, catalogue and settings.</summary>
public sealed class YobaoxingCall(OperationContext ctx, YobaoxingServices services, YobaoxingRequest request, Page page, string key) : OperationCall(ctx)
{
    public YobaoxingServices Services { get; } = services;
    public YobaoxingRequest Request { get; } = request;
    public Page Page { get; } = page;
    public string Key { get; } = key;
    public YobaoxingSettings Settings { get; } = new(ctx.Tenant, ctx.Scenario);
    public TicketCatalog Catalog { get; } = TicketCatalog.For(ctx.Scenario);
    public bool Legacy => Settings.Legacy;
    public DateOnly Today => YobaoxingServices.Today(Now);
    public AgentAccount Account => Services.Accounts.For(Tenant);

    public XmlReply Ok(string retmsg = "") => new(0, retmsg);

    /// <summary>An optional parameter: null when absent or empty.</summary>
    public string? Opt(string name) => Request[name];

    public string Req(string name) => Request[name] ?? throw Bad($"{name} 不能为空");

    /// <summary>A 3DES-encrypted parameter, decrypted; absent → null; present but not decryptable under the KEY → parameter error.</summary>
    public string? Dec(string name)
    {
        var raw = Request[name];
        if (raw is null) return null;
        return YobaoxingCrypto.Decrypt(raw, Key) ?? throw Bad($"{name} 不是用KEY进行TripleDes加密后的Base64密文");
    }

    public string ReqDec(string name) => Dec(name) is { Length: > 0 } v ? v : throw Bad($"{name} 不能为空");

    public int? OptInt(string name) =>
        Request[name] is { } v ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw Bad($"{name} 必须是整数") : null;

    public decimal ReqMoney(string name) =>
        decimal.TryParse(Req(name), NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : throw Bad($"{name} 必须是金额");

    public DateOnly ReqDate(string name, string? value) =>
        DateOnly.TryParseExact(value ?? Req(name), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw Bad($"{name} 日期格式错误，应为yyyyMMdd");

    /// <summary>
    /// A bad or missing parameter: -1901 on the pages whose V4 table lists it, else the generic -1 with the reason
    /// (the pages' own "调用失败，失败原因：ex" text).
    /// </summary>
    public YobaoxingError Bad(string detail) =>
        Page.Booking ? new YobaoxingError(-1501, Msg.ParamError + "：" + detail)
        : Page.CommonCodes && !Legacy ? new YobaoxingError(-1901, Msg.ParamError + "：" + detail) : new YobaoxingError(-1, Msg.Failed(detail));

    public static YobaoxingError Fail(int retcode, string retmsg) => new(retcode, retmsg);

    /// <summary>The caller's order, or the page's own not-found error.</summary>
    public TicketOrder Order(string id, Func<YobaoxingError> notFound)
    {
        var order = Services.Orders.Get(Tenant.Id, id) ?? throw notFound();
        Ctx.EntityKey = YobaoxingServices.OrderKey(order.Id);
        return order;
    }

    /// <summary>
    /// Moves the order by the scenario machine's transition for <paramref name="operation"/> out of its current state;
    /// false when the machine has none (the page then answers with its own status error).
    /// </summary>
    public bool Transition(TicketOrder order, string operation)
    {
        if (!Ctx.Scenario.Machines.TryGetValue(YobaoxingServices.OrderKind, out var machine)) return false;
        var t = machine.OnOperation(order.Status, operation, order.Tags);
        if (t is null) return false;
        Services.Engine.Lifecycle.Apply(Tenant, YobaoxingServices.Supplier, YobaoxingServices.OrderKind, order, t.To, t.Emit, operation, Ctx.Uow);
        return true;
    }

    public bool CanTransition(TicketOrder order, string operation) =>
        Ctx.Scenario.Machines.TryGetValue(YobaoxingServices.OrderKind, out var machine) && machine.OnOperation(order.Status, operation, order.Tags) is not null;

    /// <summary>An event in the order's timeline that is not a state change (payment opened, activation refused …).</summary>
    public void Timeline(TicketOrder order, string kind, JsonObject detail) =>
        Services.Engine.Timeline(Ctx.Uow, Tenant.Id, YobaoxingServices.OrderKey(order.Id), kind, detail);

    public void Save(TicketOrder order) => Services.Orders.Save(Ctx.Uow, Tenant.Id, order);

    public void SaveAccount() => Services.Accounts.Save(Ctx.Uow, Tenant, Account);
}
