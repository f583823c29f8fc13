using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Yobaoxing.Protocol;
using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Operations;

namespace Sandbox.Suppliers.Yobaoxing;

/// <summary>
/// What happens at the supplier's site rather than through a page, driven through the admin API the way a turnstile
/// would: POST /admin/api/tenants/{tenant}/yobaoxing/gate-check {orderid, ticketcode, stationname?, gatenumber?}; and
/// the supplier's powers over the agent's accounts (spec §2.3): POST …/yobaoxing/account {deposit?, rebate?, remark?}
/// tops up (positive) or debits (negative) the deposit and rebate balances, with a transaction record each; a visitor paying
/// and collecting at the counter: POST …/yobaoxing/counter-collect {orderid}.
/// </summary>
static class YobaoxingAdmin
{
    public sealed record GateCheckRequest(string? Orderid, string? Ticketcode, string? Stationname, string? Gatenumber);

    public sealed record AccountRequest(decimal? Deposit, decimal? Rebate, string? Remark);

    public sealed record CounterRequest(string? Orderid);

    /// <summary>The counter's collection runs the module's own delivery code, as a page would, outside the integrator pipeline.</summary>
    static readonly Page CounterPage = new("CounterCollect", CounterCollect, Description: "site event: pay and collect at the counter");

    public static void Map(RouteGroupBuilder admin, YobaoxingServices services, SupplierPipeline pipeline)
    {
        var group = admin.MapGroup("/tenants/{tenant}/yobaoxing");
        group.MapPost("/gate-check", (string tenant, GateCheckRequest body, HttpContext http) => GateCheck(services, pipeline, tenant, body, http));
        group.MapPost("/account", (string tenant, AccountRequest body, HttpContext http) => Account(services, pipeline, tenant, body, http));
        group.MapPost("/counter-collect", (string tenant, CounterRequest body, HttpContext http) => Counter(services, pipeline, tenant, body, http));
    }

    static Tenant? WithYobaoxing(YobaoxingServices services, string tenantId) =>
        services.Engine.Tenants.Find(tenantId) is { } tenant && tenant.CredentialsFor(YobaoxingServices.Supplier) is not null ? tenant : null;

    /// <summary>
    /// 现付取票 (event 9): the visitor pays a booked order at the counter and takes the tickets, 0 → X. Only accounts
    /// allowed to pay at the counter (canpaywithcash "1") have orders collected this way; no penalty ever applies.
    /// </summary>
    static async Task<IResult> Counter(YobaoxingServices services, SupplierPipeline pipeline, string tenantId, CounterRequest body, HttpContext http)
    {
        if (WithYobaoxing(services, tenantId) is not { } tenant) return AdminProblem.NotFound($"no tenant '{tenantId}' with yobaoxing credentials");
        if (string.IsNullOrEmpty(body.Orderid)) return AdminProblem.BadRequest("orderid is required");
        var request = new YobaoxingRequest(CounterPage.Name, false, [new("orderid", body.Orderid)]);
        var call = new SupplierCall
        {
            Operation = CounterPage.Name, Credential = tenant.Credential(YobaoxingServices.Supplier, "user"), View = request.View(), Parsed = (request, CounterPage),
        };
        try
        {
            await pipeline.RunAdminAsync(http, tenant, YobaoxingServices.Supplier, call,
                ctx => CounterPage.Handler(new YobaoxingCall(ctx, services, request, CounterPage, YobaoxingProtocol.KeyOf(tenant))));
        }
        catch (YobaoxingError e)
        {
            return AdminProblem.Conflict(e.Retmsg, ("retcode", e.Retcode));
        }
        var order = services.Orders.Get(tenant.Id, body.Orderid)!;
        lock (order) return Results.Json(new { orderid = order.Id, status = order.Status, sellbillid = order.SellBillId, tickets = order.Tickets.Select(t => t.Code).ToArray() });
    }

    static XmlReply CounterCollect(YobaoxingCall call)
    {
        var order = call.Order(call.Req("orderid"), () => YobaoxingCall.Fail(-1, "没有找到对应的预订（预购）单。"));
        if (call.Settings.Str("canpaywithcash", "0") != "1") throw YobaoxingCall.Fail(-1, "当前客户不允许前台现付");
        lock (order)
        {
            if (order.Status != OrderStatus.Booking) throw YobaoxingCall.Fail(-1, "当前预订单不处于“预订中”状态，不能现付取票。");
            order.PayMethod = PayMethod.Counter;
            Delivery.Activate(call, order, new Delivery.Request(null, call.Today, [], null, "2", "1", AtCounter: true));
        }
        return call.Ok();
    }

    static async Task<IResult> Account(YobaoxingServices services, SupplierPipeline pipeline, string tenantId, AccountRequest body, HttpContext http)
    {
        if (WithYobaoxing(services, tenantId) is not { } tenant) return AdminProblem.NotFound($"no tenant '{tenantId}' with yobaoxing credentials");
        var balances = services.Accounts.For(tenant);
        lock (balances)
            if (balances.Deposit + (body.Deposit ?? 0) < 0 || balances.Rebate + (body.Rebate ?? 0) < 0)
                return AdminProblem.Conflict("a debit exceeds the balance", ("deposit", balances.Deposit), ("rebate", balances.Rebate));
        return await pipeline.RunAdminAsync(http, tenant, YobaoxingServices.Supplier, "Account", IResult (ctx) =>
        {
            foreach (var (account, change) in new[] { (AccountRecord.DepositAccount, body.Deposit), (AccountRecord.RebateAccount, body.Rebate) })
            {
                if (change is not { } amount || amount == 0) continue;
                var deposit = account == AccountRecord.DepositAccount;
                var jylx = deposit ? (amount > 0 ? "1" : "2") : (amount > 0 ? "0" : "7");
                var remark = body.Remark ?? (amount > 0 ? (deposit ? "预订金充值" : "直接存入返款金额") : (deposit ? "景区扣除预订金" : "从账户转出"));
                if (!Money.Move(services, ctx.Uow, tenant, ctx.Now, account, -amount, jylx, "", remark, "景区操作员"))
                    return AdminProblem.Conflict($"the {(deposit ? "deposit" : "rebate")} balance cannot cover a debit of {-amount}");
            }
            lock (balances) return Results.Json(new { deposit = balances.Deposit, rebate = balances.Rebate });
        });
    }

    /// <summary>
    /// A gate reads a ticket: it must be a delivered, unrefunded ticket for today (China time). Every passage is recorded
    /// (QueryTicketCheckList); only the first one calls Notify_Checked (spec §6.4).
    /// </summary>
    static async Task<IResult> GateCheck(YobaoxingServices services, SupplierPipeline pipeline, string tenantId, GateCheckRequest body, HttpContext http)
    {
        if (services.Engine.Tenants.Find(tenantId) is not { } tenant) return AdminProblem.NotFound($"no tenant '{tenantId}'");
        if (string.IsNullOrEmpty(body.Orderid) || string.IsNullOrEmpty(body.Ticketcode)) return AdminProblem.BadRequest("orderid and ticketcode are required");
        if (services.Orders.Get(tenant.Id, body.Orderid) is not { } order) return AdminProblem.NotFound($"no order '{body.Orderid}'");
        return await pipeline.RunAdminAsync(http, tenant, YobaoxingServices.Supplier, "GateCheck", IResult (ctx) =>
        {
            var now = ctx.Now;
            lock (order)
            {
                var ticket = order.Tickets.FirstOrDefault(t => t.Code == body.Ticketcode);
                if (ticket is null) return AdminProblem.NotFound($"ticket '{body.Ticketcode}' is not in order {order.Id}");
                if (ticket.Status != "1") return AdminProblem.Conflict("ticket refunded: the gate refuses it", ("status", ticket.Status));
                var today = Products.Date(YobaoxingServices.Today(now));
                if (ticket.TicketDate != today) return AdminProblem.Conflict($"ticket is valid on {ticket.TicketDate}, today is {today}: the gate refuses it");
                var check = new GateCheck(YobaoxingServices.Local(now, "yyyyMMddHHmmss"), body.Stationname ?? "东大门检票站", body.Gatenumber ?? "01");
                var first = ticket.Checks.Count == 0;
                ticket.Checks.Add(check);
                order.UpdatedMs = now.ToUnixTimeMilliseconds();
                services.Orders.Save(ctx.Uow, tenant.Id, order);
                var key = YobaoxingServices.OrderKey(order.Id);
                ctx.Uow.Timeline(tenant.Id, key, services.Engine.Clock.RealNow.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds(), "gate-check",
                    new JsonObject { ["ticketcode"] = ticket.Code, ["station"] = check.StationName, ["gate"] = check.GateNumber, ["first"] = first });
                if (first && Notifications.ForChecked(services, tenant, order, ticket, check) is { } message) services.Engine.Callbacks.Enqueue(ctx.Uow, message);
                return Results.Json(new { orderid = order.Id, ticketcode = body.Ticketcode, datetime = check.DateTime, first });
            }
        });
    }
}
