using System.Text.Json.Nodes;
using Sandbox.Suppliers.Bpt.Model;
using Sandbox.Suppliers.Bpt.Protocol;

namespace Sandbox.Suppliers.Bpt.Operations;

/// <summary>
/// input (入库, spec §5.3): creates the B2B order for a priced PNR in status 3, after the caller's own policy, tax
/// and face-price checks; with autopayflag=1 it pays right away. Re-input with the same pnrsrcid returns the
/// existing order; a cancelled (7) order can be input again, as the machine allows.
/// </summary>
static class Input
{
    static readonly string[] ContactFields = ["hu_linkman", "hu_linktel", "cz_linktel", "zh_name", "zh_tel", "zh_mobile", "ky_name", "ky_tel", "ky_mobile"];

    public static BptReply Handle(BptCall call)
    {
        call.Require("pnr", "pnrsrcid", "b2buser", "b2bpwd");
        if (call["bigpnr"] != "0") call.Require("pnrc");
        var pnr = call.Pnr();
        call.Login(pnr.Air);
        call.AutoTicketAllowed(pnr.Air);
        var (order, _) = CreateOrder(call, pnr, "input");
        var message = "入库成功";
        lock (order)
        {
            if (call["autopayflag"] == "1")
            {
                var result = Payment.Attempt(call, order, "input");
                message = result.Outcome is PaymentOutcome.Paid or PaymentOutcome.AlreadyPaid ? "入库成功，支付成功" : "入库成功，支付失败：" + result.Message;
            }
            var reply = new BptReply("pnrinfo").Add("code", "1").Add("pnr", Display(order)).Add("message", message).Add("pnrsrcid", order.PnrSrcId);
            // BPB looks for tickets in the input reply (spec §5.3).
            if (order.Tickets.Count > 0) BptReplies.Tickets(reply, order, call.Config.PlainPassengerNames);
            return reply;
        }
    }

    static string Display(BptOrder o) => o.SmallPnr is null ? o.BigPnr : o.BigPnr + "|" + o.SmallPnr;

    /// <summary>
    /// The order for this PNR, created now or found (same pnrsrcid: idempotent). Refusals are BptErrors with the
    /// spec's texts. <paramref name="operation"/> names the command, for the machine's re-input transition.
    /// </summary>
    public static (BptOrder Order, bool Created) CreateOrder(BptCall call, PnrRef pnr, string operation)
    {
        var srcId = call["pnrsrcid"].Trim();
        lock (call.S.CreationLock(pnr.OrderId))
        {
            var existing = call.S.Orders.Get(call.Tenant.Id, pnr.OrderId);
            if (existing is not null)
                lock (existing)
                {
                    call.Touch(existing);
                    if (existing.Status == OrderStatus.Void) throw new BptError("PNR不存在或已取消");
                    if (existing.Status != OrderStatus.Cancelled)
                    {
                        if (existing.PnrSrcId != srcId) throw new BptError("该PNR已经入库");
                        call.TakeCallbackParameters(existing);
                        call.Save(existing);
                        return (existing, false);
                    }
                    if (call.Machine?.OnOperation(existing.Status, operation, existing.Tags) is null) throw new BptError("该PNR已取消入库，不能再次入库");
                }

            var fixture = pnr.Fixture;
            if (fixture.Cancelled) throw new BptError("PNR不存在或已取消");
            var policy = ChoosePolicy(call, fixture);
            if (call.Q.Has("srctotaltax") && (!Amount.TryParse(call["srctotaltax"], out var tax) || tax != fixture.TotalTax))
                throw new BptError("税费不一致，不能入库");
            if (call.Q.Has("srcticketsprice") && (!Amount.TryParse(call["srcticketsprice"], out var face) || face != fixture.TicketPrice))
                throw new BptError("票面价不一致，不能入库");

            var order = existing ?? new BptOrder { Id = pnr.OrderId, CreatedMs = call.NowMs };
            lock (order)
            {
                order.Air = pnr.Air;
                order.BigPnr = pnr.Big;
                order.SmallPnr = pnr.Small;
                order.PnrSrcId = srcId;
                order.B2bUser = call["b2buser"];
                order.PayAccount = call.Q.Has("payaccount") ? call["payaccount"].Trim() : null;
                order.Passengers = [.. fixture.Passengers];
                order.Segments = [.. fixture.Segments];
                order.TicketPrice = fixture.TicketPrice;
                order.TotalTax = fixture.TotalTax;
                order.PolicyNum = policy.PolicyNum;
                order.PgCode = policy.PgCode;
                order.PayPrice = fixture.PayPrice(policy);
                order.PayStatus = "";
                order.OrderNo = order.TradeNo = order.OutTradeNo = "";
                order.Tickets = [];
                order.NotifiedUrls = [];
                order.Message = "";
                order.OvertimeDueMs = null;
                order.CallbackUrl = order.CallbackUrlForPay = null;
                order.GetTicketOverTime = 5;
                order.Tags = new HashSet<string>(call.Ctx.Rules.Tags, StringComparer.OrdinalIgnoreCase);
                foreach (var f in ContactFields)
                    if (call.Q.Has(f)) order.Contacts[f] = call[f];
                call.TakeCallbackParameters(order);
                call.Touch(order);
                call.Timeline(order, "created", new JsonObject
                {
                    ["command"] = call.Command, ["pnrsrcid"] = srcId, ["payprice"] = order.PayPrice, ["pgcode"] = policy.PgCode,
                    ["tags"] = string.Join(",", order.Tags),
                });
                if (existing is not null) call.Transition(order, operation);
                else
                {
                    order.Status = call.Machine?.Initial ?? OrderStatus.AwaitingPayment;
                    order.UpdatedMs = call.NowMs;
                    call.Save(order);
                    call.S.Engine.Lifecycle.ScheduleTimed(call.Tenant, BptServices.Supplier, BptServices.OrderKind, order, call.Scenario, call.Ctx.Uow, call.NowMs);
                }
                call.S.RememberSmall(call.Ctx.Uow, call.Tenant.Id, order);
            }
            return (order, true);
        }
    }

    /// <summary>The airline's best policy (highest rebate), or the one matching the caller's srcpolicynum.</summary>
    static FixturePolicy ChoosePolicy(BptCall call, PnrFixture fixture)
    {
        if (fixture.Policies.Count == 0) throw new BptError("未查询到可用政策");
        if (!call.Q.Has("srcpolicynum")) return fixture.Policies.MaxBy(p => p.PolicyNum)!;
        if (!Amount.TryParse(call["srcpolicynum"], out var wanted)) throw new BptError("政策点数不一致，不能入库");
        return fixture.Policies.FirstOrDefault(p => p.PolicyNum == wanted) ?? throw new BptError("政策点数不一致，不能入库");
    }
}
