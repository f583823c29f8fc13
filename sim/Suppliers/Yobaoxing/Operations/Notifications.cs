using System.Text;
using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>
/// The callbacks to the integrator (spec §6): GET {responseaddr}/{Page}.aspx with the common parameters the supplier
/// sends (user, encrypted login password, sign …) and the page's own fields, signed by the request rule. None is owed
/// when the order carries no integrator business id or the callback address is empty (spec §3.9).
/// </summary>
public static class Notifications
{
    public const string OrderChanged = "Notify_OrderChanged";
    public const string Refund = "Notify_Refund";
    public const string RefundFk = "Notify_Refund_FK";
    public const string Checked = "Notify_Checked";
    /// <summary>The legacy BeginToPay NotifyURL (spec §6.5): a full URL the caller gave, told the payment's outcome.</summary>
    public const string Payment = "NotifyURL";

    public static readonly string[] All = [OrderChanged, Refund, RefundFk, Checked, Payment];

    public static CallbackMessage? Build(YobaoxingServices services, Tenant tenant, TicketOrder order, string name, IEnumerable<KeyValuePair<string, string>> fields)
    {
        if (order.SenderId.Length == 0) return null;
        // SetAgentParameters' responseaddr is the request's own target; otherwise the tenant's callbacks.yobaoxing, as
        // configured when each attempt is made.
        var given = order.Tags.Contains(Failures.CallbackDown) ? Failures.DeadReceiver : services.Accounts.For(tenant).ResponseAddr;
        if (given is null && string.IsNullOrWhiteSpace(tenant.CallbackUrl(YobaoxingServices.Supplier))) return null;
        if (given is not null && string.IsNullOrWhiteSpace(given)) return null;
        return To(tenant, order, name, given, "/" + PageOf(services, tenant, name) + ".aspx", fields);
    }

    /// <summary>
    /// The NotifyURL format is undefined (spec §9.42): the sandbox sends the same signed GET as its other callbacks with
    /// orderid, senderid, status (TRADE_SUCCESS / TRADE_FAIL), paychannel and total_fee, appended to the given URL.
    /// </summary>
    public static void QueuePayment(YobaoxingServices services, Engine.Storage.UnitOfWork uow, Tenant tenant, TicketOrder order, bool success)
    {
        if (order.NotifyUrl.Length == 0) return;
        services.Engine.Callbacks.Enqueue(uow, To(tenant, order, Payment, order.NotifyUrl, "",
        [
            new("orderid", order.Id), new("senderid", order.SenderId), new("status", success ? "TRADE_SUCCESS" : "TRADE_FAIL"),
            new("paychannel", order.PayChannel), new("total_fee", XmlReply.Format(order.Total)),
        ]));
    }

    /// <summary>A signed GET to <paramref name="given"/> (null: the tenant's callback folder) joined with <paramref name="page"/>.</summary>
    static CallbackMessage To(Tenant tenant, TicketOrder order, string name, string? given, string page, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var key = YobaoxingProtocol.KeyOf(tenant);
        var list = new List<KeyValuePair<string, string>>
        {
            new("sign_type", "MD5"),
            new("service_version", "1.0"),
            new("input_charset", "UTF-8"),
            new("sign_key_index", "1"),
            new("user", tenant.Credential(YobaoxingServices.Supplier, "user") ?? ""),
            new("password", YobaoxingCrypto.PasswordField(tenant.Credential(YobaoxingServices.Supplier, "password") ?? "", key)),
        };
        list.AddRange(fields);
        list.Add(new("sign", YobaoxingSign.Sign(list, key)));
        var suffix = new StringBuilder(page).Append('?');
        var first = true;
        foreach (var (k, v) in list)
        {
            if (!first) suffix.Append('&');
            suffix.Append(k).Append('=').Append(Uri.EscapeDataString(v));
            first = false;
        }
        var target = given is null ? CallbackTarget.Tenant(suffix.ToString()) : CallbackTarget.Request(given, suffix.ToString());
        return new CallbackMessage(tenant.Id, YobaoxingServices.Supplier, YobaoxingServices.OrderKey(order.Id), name, target, "GET",
            "application/x-www-form-urlencoded", []);
    }

    /// <summary>The legacy edition calls the rebate-refund callback Notify_Refund.aspx too (spec §9.72).</summary>
    static string PageOf(YobaoxingServices services, Tenant tenant, string name) =>
        name == RefundFk && new YobaoxingSettings(tenant, services.ScenarioFor(tenant)).Legacy ? Refund : name;

    public static CallbackMessage? ForOrderChanged(YobaoxingServices services, Tenant tenant, TicketOrder order) =>
        Build(services, tenant, order, OrderChanged, [new("orderid", order.Id), new("senderid", order.SenderId), new("status", order.Status)]);

    public static CallbackMessage? ForChecked(YobaoxingServices services, Tenant tenant, TicketOrder order, Ticket ticket, GateCheck check) =>
        Build(services, tenant, order, Checked,
        [
            new("orderid", order.Id), new("senderid", order.SenderId), new("ticketcode", ticket.Code),
            new("refunddatetime", check.DateTime), new("stationname", check.StationName), new("gatenumber", check.GateNumber),
        ]);

    public static CallbackMessage? ForRefund(YobaoxingServices services, Tenant tenant, TicketOrder order, Ticket ticket)
    {
        var rebate = order.PayMethod == PayMethod.Rebate;
        var fields = new List<KeyValuePair<string, string>>
        {
            new("orderid", order.Id), new("senderid", order.SenderId), new("sellbillid", order.SellBillId), new("selldatetime", order.DeliveredAt),
            new("ticketcode", ticket.Code), new("refunddatetime", ticket.RefundedAt),
        };
        if (!rebate) fields.Add(new("refundmode", ticket.RefundMode));
        fields.AddRange(
        [
            new("productsid", ticket.ProductId), new("productname", ticket.ProductName), new("price", XmlReply.Format(ticket.Price)),
            new("totalcount", ticket.PersonCount.ToString()), new("freecount", ticket.FreeCount.ToString()), new("amount", XmlReply.Format(ticket.Summary)),
        ]);
        if (!rebate)
        {
            fields.Add(new("fees", XmlReply.Format(ticket.RefundFee)));
            fields.Add(new("returnamount", XmlReply.Format(ticket.Summary - ticket.RefundFee)));
        }
        return Build(services, tenant, order, rebate ? RefundFk : Refund, fields);
    }
}
