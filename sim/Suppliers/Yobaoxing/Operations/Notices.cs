using Sandbox.Engine.Messages;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Yobaoxing.Catalog;
using Sandbox.Suppliers.Yobaoxing.Model;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>
/// The supplier's official notifications to the visitor (spec §3.11), written to the message log: a payment notice
/// when the order becomes paid (2, C, 6 — the legacy "预订成功"), a voucher MMS when smsModel asks for one (1, 2), a
/// delivery notice with the ticket codes at 3 / D (the legacy "激活成功"), and a refund notice. None is sent when the
/// agent switched them off (SetAgentParameters sendofficiallysnotify=0), the call did (sendnotification=0, smsModel=A),
/// the order has no mobile, or the tenant setting officialNotices is "off".
/// </summary>
static class Notices
{
    public static void OnEnter(YobaoxingServices services, UnitOfWork uow, Tenant tenant, YobaoxingSettings settings, TicketCatalog catalog, TicketOrder order, string to)
    {
        if (!Allowed(services, tenant, settings, order)) return;
        var brand = $"【{catalog.ProviderName}】";
        switch (to)
        {
            case OrderStatus.DepositAuthorised or OrderStatus.RebateAuthorised or OrderStatus.InstantApproved:
                if (order.SmsModel is "0" or "2")
                    Send(services, uow, tenant, order, "sms", "payment",
                        $"{brand}您的订单{order.Id}已支付成功，{order.TicketTypeDesc()}，游览日期{order.Sxrq}，请凭身份证或本短信至售票处取票或在线激活。");
                if (order.SmsModel is "1" or "2")
                    Send(services, uow, tenant, order, "mms", "voucher", $"{brand}取票凭证：订单{order.Id}，{order.TicketTypeDesc()}，游览日期{order.Sxrq}。[二维码:{order.Id}]");
                break;
            case OrderStatus.Delivered or OrderStatus.RebateDelivered:
                Send(services, uow, tenant, order, "sms", "activation",
                    $"{brand}您的订单{order.Id}已激活，门票号码：{string.Join("、", order.Tickets.Select(t => t.Code))}，请于{order.Tickets.FirstOrDefault()?.TicketDate ?? order.Sxrq}凭身份证或手机二维码过闸。");
                break;
        }
    }

    /// <summary>A refund the supplier completed (tickets refunded, or an instant-payment refund paid).</summary>
    public static void Refunded(YobaoxingServices services, UnitOfWork uow, Tenant tenant, YobaoxingSettings settings, TicketCatalog catalog, TicketOrder order, string what)
    {
        if (!Allowed(services, tenant, settings, order)) return;
        Send(services, uow, tenant, order, "sms", "refund", $"【{catalog.ProviderName}】您的订单{order.Id}{what}已办理退款，款项将按原支付方式退回。");
    }

    /// <summary>ReMakeTicket: the collection voucher again, by SMS, MMS or both, whatever the notice switches say (the agent asked for it).</summary>
    public static void Voucher(YobaoxingServices services, UnitOfWork uow, Tenant tenant, TicketCatalog catalog, TicketOrder order, string smsModel)
    {
        var brand = $"【{catalog.ProviderName}】";
        if (smsModel is "0" or "2")
            Send(services, uow, tenant, order, "sms", "voucher", $"{brand}取票凭证：订单{order.Id}，{order.TicketTypeDesc()}，游览日期{order.Sxrq}，请凭本短信或身份证取票。");
        if (smsModel is "1" or "2")
            Send(services, uow, tenant, order, "mms", "voucher", $"{brand}取票凭证：订单{order.Id}，{order.TicketTypeDesc()}，游览日期{order.Sxrq}。[二维码:{order.Id}]");
    }

    static bool Allowed(YobaoxingServices services, Tenant tenant, YobaoxingSettings settings, TicketOrder order)
    {
        if (order.Mobile.Length == 0 || order.SmsModel == "A" || !order.SendNotification) return false;
        if (settings.Str("officialNotices", "on").Equals("off", StringComparison.OrdinalIgnoreCase)) return false;
        var account = services.Accounts.For(tenant);
        lock (account) return account.SendOfficiallyNotify != "0";
    }

    static void Send(YobaoxingServices services, UnitOfWork uow, Tenant tenant, TicketOrder order, string channel, string purpose, string text) =>
        services.Engine.Messages.Send(uow, new OutboundMessage(tenant.Id, YobaoxingServices.Supplier, channel, order.Mobile, purpose, text, YobaoxingServices.OrderKey(order.Id)));
}
