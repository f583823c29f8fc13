using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>
/// Moves money on the agent's deposit or rebate account and writes the transaction record in the same unit of
/// work. Callers hold no lock; the account is locked here.
/// </summary>
static class Money
{
    /// <summary>Debits (positive) or credits (negative); false when a debit exceeds the balance.</summary>
    public static bool Move(YobaoxingCall call, string account, decimal amount, string jylx, string orderId, string remark) =>
        Move(call.Services, call.Ctx.Uow, call.Tenant, call.Now, account, amount, jylx, orderId, remark);

    public static bool Move(YobaoxingServices services, Engine.Storage.UnitOfWork uow, Engine.Tenants.Tenant tenant, DateTimeOffset now,
        string account, decimal amount, string jylx, string orderId, string remark, string op = "")
    {
        var a = services.Accounts.For(tenant);
        decimal opening, closing;
        lock (a)
        {
            opening = account == AccountRecord.DepositAccount ? a.Deposit : a.Rebate;
            if (amount > 0 && opening < amount) return false;
            closing = opening - amount;
            if (account == AccountRecord.DepositAccount) a.Deposit = closing;
            else a.Rebate = closing;
            services.Accounts.Save(uow, tenant, a);
        }
        Record(services, uow, tenant.Id, now, account, jylx, opening, -amount, closing, orderId, remark, op);
        return true;
    }

    public static decimal Balance(YobaoxingCall call, string account)
    {
        var a = call.Account;
        lock (a) return account == AccountRecord.DepositAccount ? a.Deposit : a.Rebate;
    }

    public static void Record(YobaoxingServices services, Engine.Storage.UnitOfWork uow, string tenant, DateTimeOffset now, string account, string jylx,
        decimal opening, decimal change, decimal closing, string orderId, string remark, string op = "")
    {
        var record = new AccountRecord
        {
            Id = services.NextDocumentId('J', now),
            Status = "1",
            CreatedMs = now.ToUnixTimeMilliseconds(),
            UpdatedMs = now.ToUnixTimeMilliseconds(),
            Account = account,
            Jylx = jylx,
            Opening = opening,
            Amount = change,
            Closing = closing,
            OrderId = orderId,
            Remark = remark,
            Operator = op,
            At = YobaoxingServices.Local(now, "yyyyMMddHHmmss"),
        };
        services.Records.Save(uow, tenant, record);
    }
}
