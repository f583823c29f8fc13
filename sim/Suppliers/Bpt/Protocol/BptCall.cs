using System.Text.Json.Nodes;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Bpt.Catalog;
using Sandbox.Suppliers.Bpt.Model;

namespace Sandbox.Suppliers.Bpt.Protocol;

/// <summary>One BPT command being handled: its parameters, the tenant's set-up, the PNR and the order machine.</summary>
public sealed class BptCall(OperationContext ctx, BptRequest request, BptServices services) : OperationCall(ctx)
{
    public BptRequest Request { get; } = request;
    public BptServices S { get; } = services;
    public BptQuery Q => Request.Query;
    public string Command => Request.Command;
    public BptTenantConfig Config { get; } = BptTenantConfig.For(ctx.Tenant, ctx.Scenario);
    public MachineDefinition? Machine => Scenario.Machines.GetValueOrDefault(BptServices.OrderKind);

    public string this[string name] => Q[name];

    public void Require(params string[] names)
    {
        foreach (var n in names)
            if (!Q.Has(n)) throw BptError.Missing(n);
    }

    /// <summary>The airline B2B login (spec §3): the badpwd trigger is a scenario rule; b2b_login=listed is checked here.</summary>
    public void Login(string air)
    {
        if (!Config.B2bLoginOk(this["b2buser"], this["b2bpwd"], air)) throw new BptError(BptReplies.LoginFailed);
    }

    /// <summary>An airline the assistant did not enable for auto-ticketing is refused (rules document §4.3 step 2).</summary>
    public void AutoTicketAllowed(string air)
    {
        if (!Config.AutoTicketEnabled(air)) throw new BptError($"航空公司{air}未开通自动出票，请在小助手中设置");
    }

    public PnrRef Pnr() => Request.Pnr ??= Resolve(Q, Tenant, Scenario, S, Now);

    /// <summary>
    /// Finds the PNR (spec §3): with bigpnr=1 (the default) <c>pnr</c> is the big PNR and <c>pnrc</c> the small one;
    /// with bigpnr=0 <c>pnr</c> is the small PNR, converted to the big one by a fixture, an existing order or 小转大.
    /// </summary>
    public static PnrRef Resolve(BptQuery q, Tenant tenant, Scenario scenario, BptServices s, DateTimeOffset now)
    {
        var pnr = q["pnr"].Trim().ToUpperInvariant();
        if (pnr.Length == 0) throw BptError.Missing("pnr");
        if (!BigPnr.IsValid(pnr)) throw new BptError("PNR格式错误，应为5到6位字母或数字");
        var bigFlag = q["bigpnr"].Trim();
        if (bigFlag is not ("" or "0" or "1")) throw new BptError("参数错误：bigpnr只能为0或1");
        var air = q["air"].Trim().ToUpperInvariant();
        if (air.Length is not (0 or 2)) throw new BptError("航空公司代码错误：" + air);
        var catalog = PnrCatalog.For(scenario);
        var today = DateOnly.FromDateTime(BptServices.ChinaTime(now));

        if (bigFlag == "0")
        {
            var fixture = s.TenantPnrs.BySmall(tenant.Id, pnr) ?? catalog.BySmall(pnr);
            if (fixture is not null)
                return new PnrRef(fixture.Air, fixture.BigPnr, pnr, fixture, s.Orders.Get(tenant.Id, BptOrder.KeyOf(fixture.Air, fixture.BigPnr)));
            if (s.OrderBySmall(tenant.Id, pnr) is { } known)
                return new PnrRef(known.Air, known.BigPnr, pnr, FixtureOf(known), known);
            var a = air.Length > 0 ? air : BigPnr.DefaultAirline(pnr);
            var big = BigPnr.Of(pnr);
            return new PnrRef(a, big, pnr, catalog.Factory.Default(a, big, pnr, today), s.Orders.Get(tenant.Id, BptOrder.KeyOf(a, big)));
        }

        if (air.Length == 0) throw BptError.Missing("air");
        var small = q["pnrc"].Trim().ToUpperInvariant();
        if (small.Length > 0 && !BigPnr.IsValid(small)) throw new BptError("小编码格式错误，应为5到6位字母或数字");
        var order = s.Orders.Get(tenant.Id, BptOrder.KeyOf(air, pnr));
        var f = s.TenantPnrs.ByBig(tenant.Id, air, pnr) ?? catalog.ByBig(air, pnr);
        var knownSmall = small.Length > 0 ? small : order?.SmallPnr ?? f?.SmallPnr;
        return new PnrRef(air, pnr, knownSmall, f ?? catalog.Factory.Default(air, pnr, knownSmall, today), order);
    }

    /// <summary>An order's own data as a fixture, for a small PNR known only from the order.</summary>
    static PnrFixture FixtureOf(BptOrder o) => new()
    {
        Air = o.Air, BigPnr = o.BigPnr, SmallPnr = o.SmallPnr, Passengers = o.Passengers, Segments = o.Segments,
        TicketPrice = o.TicketPrice, TotalTax = o.TotalTax, Policies = [new FixturePolicy(o.PgCode, o.PolicyNum)],
    };

    /// <summary>A ticket number given in <c>tktno</c>/<c>ticketno</c>, normalised to 13 digits; null when none is given.</summary>
    public string? TicketFilter()
    {
        var given = Q.Has("tktno") ? this["tktno"] : Q.Has("ticketno") ? this["ticketno"] : null;
        if (given is null) return null;
        return TicketNumbers.Normalise(given) ?? throw new BptError("票号格式错误");
    }

    /// <summary>Getticketovertime in minutes (spec §5.3: the unit is not stated; the sandbox reads minutes, default 5).</summary>
    public int? GetTicketOverTime()
    {
        if (!Q.Has("getticketovertime")) return null;
        return int.TryParse(this["getticketovertime"].Trim(), out var m) && m is > 0 and <= 1440
            ? m
            : throw new BptError("参数错误：getticketovertime应为1到1440之间的分钟数");
    }

    public void Touch(BptOrder order) => Ctx.EntityKey = BptServices.OrderKey(order.Id);

    public void Timeline(BptOrder order, string kind, JsonObject detail) =>
        S.Engine.Timeline(Ctx.Uow, Tenant.Id, BptServices.OrderKey(order.Id), kind, detail);

    /// <summary>Moves the order through the scenario's machine for this command; false when the machine does not allow it.</summary>
    public bool Transition(BptOrder order, string operation)
    {
        if (Machine?.OnOperation(order.Status, operation, order.Tags) is not { } t) return false;
        S.Engine.Lifecycle.Apply(Tenant, BptServices.Supplier, BptServices.OrderKind, order, t.To, t.Emit, operation, Ctx.Uow);
        return true;
    }

    public void Save(BptOrder order) => S.Orders.Save(Ctx.Uow, Tenant.Id, order);

    /// <summary>The ticketing notice URL: the latest callbackurl given for the order, else the tenant's callbacks.bpt.</summary>
    public string? TicketCallbackUrl(BptOrder order) => order.CallbackUrl ?? Tenant.CallbackUrl(BptServices.Supplier);

    /// <summary>Remembers the callback URLs and getticketovertime a command supplied (the latest wins, spec §6.1).</summary>
    public void TakeCallbackParameters(BptOrder order)
    {
        if (Q.Has("callbackurl")) order.CallbackUrl = Url("callbackurl");
        if (Q.Has("callbackurlforpay")) order.CallbackUrlForPay = Url("callbackurlforpay");
        if (GetTicketOverTime() is { } m) order.GetTicketOverTime = m;
    }

    string Url(string name)
    {
        var text = this[name].Trim();
        return Uri.TryCreate(text, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
            ? text
            : throw new BptError($"参数错误：{name}不是有效的http地址");
    }
}
