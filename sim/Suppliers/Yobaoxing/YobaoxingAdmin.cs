using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sandbox.Admin;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Operations;

namespace Sandbox.Suppliers.Yobaoxing;

/// <summary>
/// What happens at the supplier's site rather than through a page, driven through the admin API the way a turnstile
/// would: POST /admin/api/tenants/{tenant}/yobaoxing/gate-check {orderid, ticketcode, stationname?, gatenumber?}; and
/// the supplier's powers over the agent's accounts (spec §2.3): POST …/yobaoxing/account {deposit?, rebate?, remark?}
/// tops up (positive) or debits (negative) the deposit and rebate balances, with a transaction record each.
/// </summary>
static class YobaoxingAdmin
{
    public sealed record GateCheckRequest(string? Orderid, string? Ticketcode, string? Stationname, string? Gatenumber);

    public sealed record AccountRequest(decimal? Deposit, decimal? Rebate, string? Remark);

    public static void Map(IEndpointRouteBuilder routes, YobaoxingServices services)
    {
        var group = routes.MapGroup("/admin/api/tenants/{tenant}/yobaoxing").AddEndpointFilter<AdminAuth>().WithTags("yobaoxing");
        group.MapPost("/gate-check", (string tenant, GateCheckRequest body) => GateCheck(services, tenant, body));
        group.MapPost("/account", (string tenant, AccountRequest body) => Account(services, tenant, body));
    }

    static async Task<IResult> Account(YobaoxingServices services, string tenantId, AccountRequest body)
    {
        if (services.Tenants.Find(tenantId) is not { } tenant || tenant.CredentialsFor(YobaoxingServices.Supplier) is null)
            return Results.Json(new { error = $"no tenant '{tenantId}' with yobaoxing credentials" }, statusCode: 404);
        var now = services.Clock.Now(tenant.Id);
        var uow = new UnitOfWork(services.Store);
        var balances = services.Accounts.For(tenant);
        lock (balances)
            if (balances.Deposit + (body.Deposit ?? 0) < 0 || balances.Rebate + (body.Rebate ?? 0) < 0)
                return Results.Json(new { error = "a debit exceeds the balance", deposit = balances.Deposit, rebate = balances.Rebate }, statusCode: 409);
        foreach (var (account, change) in new[] { (AccountRecord.DepositAccount, body.Deposit), (AccountRecord.RebateAccount, body.Rebate) })
        {
            if (change is not { } amount || amount == 0) continue;
            var deposit = account == AccountRecord.DepositAccount;
            var jylx = deposit ? (amount > 0 ? "1" : "2") : (amount > 0 ? "0" : "7");
            var remark = body.Remark ?? (amount > 0 ? (deposit ? "预订金充值" : "直接存入返款金额") : (deposit ? "景区扣除预订金" : "从账户转出"));
            if (!Money.Move(services, uow, tenant, now, account, -amount, jylx, "", remark, "景区操作员"))
                return Results.Json(new { error = $"the {(deposit ? "deposit" : "rebate")} balance cannot cover a debit of {-amount}" }, statusCode: 409);
        }
        await uow.CommitAsync();
        var a = services.Accounts.For(tenant);
        lock (a) return Results.Json(new { deposit = a.Deposit, rebate = a.Rebate });
    }

    /// <summary>
    /// A gate reads a ticket: it must be a delivered, unrefunded ticket for today (China time). Every passage is recorded
    /// (QueryTicketCheckList); only the first one calls Notify_Checked (spec §6.4).
    /// </summary>
    static async Task<IResult> GateCheck(YobaoxingServices services, string tenantId, GateCheckRequest body)
    {
        if (services.Tenants.Find(tenantId) is not { } tenant) return Results.Json(new { error = $"no tenant '{tenantId}'" }, statusCode: 404);
        if (string.IsNullOrEmpty(body.Orderid) || string.IsNullOrEmpty(body.Ticketcode))
            return Results.Json(new { error = "orderid and ticketcode are required" }, statusCode: 400);
        if (services.Orders.Get(tenant.Id, body.Orderid) is not { } order) return Results.Json(new { error = $"no order '{body.Orderid}'" }, statusCode: 404);
        var now = services.Clock.Now(tenant.Id);
        var uow = new UnitOfWork(services.Store);
        GateCheck check;
        bool first;
        lock (order)
        {
            var ticket = order.Tickets.FirstOrDefault(t => t.Code == body.Ticketcode);
            if (ticket is null) return Results.Json(new { error = $"ticket '{body.Ticketcode}' is not in order {order.Id}" }, statusCode: 404);
            if (ticket.Status != "1") return Results.Json(new { error = "ticket refunded: the gate refuses it", status = ticket.Status }, statusCode: 409);
            var today = Products.Date(YobaoxingServices.Today(now));
            if (ticket.TicketDate != today)
                return Results.Json(new { error = $"ticket is valid on {ticket.TicketDate}, today is {today}: the gate refuses it" }, statusCode: 409);
            check = new GateCheck(YobaoxingServices.Local(now, "yyyyMMddHHmmss"), body.Stationname ?? "东大门检票站", body.Gatenumber ?? "01");
            first = ticket.Checks.Count == 0;
            ticket.Checks.Add(check);
            order.UpdatedMs = now.ToUnixTimeMilliseconds();
            services.Orders.Save(uow, tenant.Id, order);
            var key = YobaoxingServices.OrderKey(order.Id);
            uow.Timeline(tenant.Id, key, services.Clock.RealNow.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds(), "gate-check",
                new JsonObject { ["ticketcode"] = ticket.Code, ["station"] = check.StationName, ["gate"] = check.GateNumber, ["first"] = first });
            if (first && Notifications.ForChecked(services, tenant, order, ticket, check) is { } message) services.Dispatcher.Enqueue(uow, message);
        }
        await uow.CommitAsync();
        return Results.Json(new { orderid = order.Id, ticketcode = body.Ticketcode, datetime = check.DateTime, first });
    }
}
