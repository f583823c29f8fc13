using Sandbox.Engine.Pipeline;
using Sandbox.Suppliers.TechHouse.Model;
using Sandbox.Suppliers.TechHouse.Protocol;

namespace Sandbox.Suppliers.TechHouse.Operations;

/// <summary>GetBookingPayments and SetPaymentToBooking (spec §5.8, §5.9).</summary>
static class Payments
{
    public sealed record Method(string Code, string Name, string Desc, decimal FeeRate);

    static readonly Method Balance = new("AG", "Balance", "Deduct from prepaid account balance", 0m);
    static readonly Method CreditCard = new("XX", "Credit card", "Charge the merchant's credit card on file", 0.02m);

    /// <summary>AG always; XX when the scenario enables credit cards (the document says only AG is supported today).</summary>
    public static IReadOnlyList<Method> Enabled(TechHouseSettings settings) => settings.CreditCard ? [Balance, CreditCard] : [Balance];

    public static SupplierReply GetBookingPayments(TechHouseCall call)
    {
        var session = call.Session();
        var reply = call.Ok("Success");
        var w = reply.W;
        w.WriteStartArray("payments");
        foreach (var m in Enabled(call.Settings))
        {
            w.WriteStartObject();
            w.WriteString("name", m.Name);
            w.WriteString("code", m.Code);
            w.WriteString("desc", m.Desc);
            reply.Money("chargeFee", Math.Round(session.Total * m.FeeRate, 2));
            w.WriteString("currency", session.Routing.Currency);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        return call.Finish(reply);
    }

    public static SupplierReply SetPaymentToBooking(TechHouseCall call)
    {
        var r = call.Request;
        var session = call.Session();
        var code = r.Str("paymentCode").ToUpperInvariant();
        var currency = r.Str("payCurrency").ToUpperInvariant();
        var method = Enabled(call.Settings).FirstOrDefault(m => m.Code == code)
                     ?? throw new TechHouseError(TechHouseStatus.PaymentNotSupported, $"payment method {code} not supported");
        if (!currency.Equals(session.Routing.Currency, StringComparison.OrdinalIgnoreCase))
            throw new TechHouseError(TechHouseStatus.PaymentNotSupported, $"payCurrency must be the booking currency {session.Routing.Currency}");
        if (!call.Services.Accounts.For(call.Tenant).ByCurrency.ContainsKey(currency))
            throw new TechHouseError(TechHouseStatus.PaymentNotSupported, $"no {currency} balance account");
        lock (session)
        {
            session.PaymentCode = method.Code;
            session.PayCurrency = currency;
            session.ChargeFee = Math.Round(session.Total * method.FeeRate, 2);
            session.State = SessionState.PaymentSet;
        }
        var reply = call.Ok("Success");
        reply.Money("totalCost", session.Total + session.ChargeFee);
        reply.W.WriteString("currency", currency);
        return call.Finish(reply);
    }
}
