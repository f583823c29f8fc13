using Sandbox.Engine.Pipeline;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>
/// Values rules can match although the request carries them encrypted: every 3DES field decrypted under the caller's
/// KEY (so a rule can say <c>mobile: "13900000000"</c> or <c>XCDDH: {prefix: SOLDOUT}</c>), and the mobile and business id
/// of the order a page names (<c>order.mobile</c>, <c>order.senderid</c>).
/// </summary>
static class Facts
{
    static readonly string[] Encrypted =
    [
        "Mobile", "ID", "SXRQ", "InvoiceTitle", "Memo", "XCDDH", "senderid", "TicketDate", "TicketDate2", "SenceID", "SceneID", "TheaterID",
        "SeatInfo", "ProductID", "SeatAreaID", "TicketTypeID", "DWSX", "DWID", "Email",
    ];

    public static void Add(OperationContext ctx, YobaoxingServices services, string key)
    {
        foreach (var name in Encrypted)
            if (ctx.View.Values(name).FirstOrDefault() is { Length: > 0 } raw && YobaoxingCrypto.Decrypt(raw, key) is { } plain)
                ctx.Fact(name, [plain]);
        var orderId = ctx.View.Values("Order_id").FirstOrDefault() ?? ctx.View.Values("orderid").FirstOrDefault();
        if (orderId is not null && services.Orders.Get(ctx.Tenant.Id, orderId) is { } order)
        {
            ctx.Fact("order.mobile", [order.Mobile]);
            ctx.Fact("order.senderid", [order.SenderId]);
            ctx.Fact("order.status", [order.Status]);
        }
    }
}
