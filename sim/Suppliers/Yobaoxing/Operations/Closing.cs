using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Yobaoxing.Catalog;
using Sandbox.Suppliers.Yobaoxing.Model;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>
/// What closing an undelivered order costs (spec §3.5, §3.6): whatever closes it — CancelOrder, the payment time limit,
/// the end of its validity or an admin — gives back its stock and charges the penalty of an authorised order to the
/// account it was authorised on (V4 returns the debited total minus the fee; legacy debits the fee). Counter-pay and
/// unpaid orders never pay a penalty.
/// </summary>
static class Closing
{
    public static decimal Fee(YobaoxingSettings settings, TicketCatalog catalog, DateTimeOffset now, TicketOrder order) =>
        order.Status is OrderStatus.DepositAuthorised or OrderStatus.RebateAuthorised ? Fees.ForUndelivered(settings, catalog, now, order) : 0;

    public static void Settle(YobaoxingServices services, UnitOfWork uow, Tenant tenant, YobaoxingSettings settings, TicketCatalog catalog,
        DateTimeOffset now, TicketOrder order, string from)
    {
        if (order.CloseSettled) return;
        order.CloseSettled = true;
        Stock.Release(services, uow, tenant.Id, order);
        if (from is OrderStatus.InstantPaid or OrderStatus.InstantApproved)
        {
            // An instant payment nobody collected: a refund application of the amount minus the penalty goes to finance (§3.6).
            var penalty = Fees.ForUndelivered(settings, catalog, now, order);
            order.TotalFees = penalty;
            return;
        }
        if (from is not (OrderStatus.DepositAuthorised or OrderStatus.RebateAuthorised)) return;
        var fee = order.Lines.Sum(l => Fees.For(settings, catalog, now, order, l, l.Num - l.DealNum));
        order.TotalFees = fee;
        var account = order.PayMethod == PayMethod.Rebate ? AccountRecord.RebateAccount : AccountRecord.DepositAccount;
        var change = fee - order.Debited;
        if (change == 0) return;
        // A legacy fee the balance cannot cover is taken down to zero: the supplier closes the order regardless.
        var balance = services.Accounts.For(tenant);
        if (change > 0)
            lock (balance) change = Math.Min(change, account == AccountRecord.DepositAccount ? balance.Deposit : balance.Rebate);
        var jylx = account == AccountRecord.DepositAccount ? (change > 0 ? "2" : "1") : (change > 0 ? "9" : "A");
        Money.Move(services, uow, tenant, now, account, change, jylx, order.Id, change > 0 ? "互联网订单违约手续费" : "关闭订单退回预付款（已扣违约手续费）");
        order.Debited += change;
    }
}
