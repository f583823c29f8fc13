using System.Globalization;
using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>
/// The agent's deposit (YFK, §4.28–§4.30) and rebate (FK, §4.31–§4.33) accounts: balances and transaction records.
/// The document never defines the "period" of SQJY/BQSQ/BQDF: the sandbox uses the current China calendar month for the
/// deposit account and the current year (ND) for the rebate account, so brought-forward + top-ups − consumption = balance.
/// </summary>
static class Accounts
{
    static XmlReply Unit(YobaoxingCall call, XmlReply reply) =>
        reply.Leaf("DWSX", call.Tenant.Credential(YobaoxingServices.Supplier, "dwsx") ?? "2")
            .Leaf("DWID", call.Tenant.Credential(YobaoxingServices.Supplier, "dwid") ?? call.Tenant.Id)
            .Leaf("DWMC", call.Tenant.Name ?? call.Tenant.Id);

    /// <summary>An agent not allowed to use the account has none (the pages' "没有查询到该…账户数据").</summary>
    static void RequireAccount(YobaoxingCall call, string account)
    {
        var deposit = account == AccountRecord.DepositAccount;
        if (call.Settings.Str(deposit ? "canpaywithyfk" : "canpaywithfk", "1") != "1")
            throw YobaoxingCall.Fail(-1, deposit ? "没有查询到该预定金账户数据。" : "没有查询到该返款账户数据。");
    }

    static IReadOnlyList<AccountRecord> Since(YobaoxingCall call, string account, DateTimeOffset start) =>
        call.Services.Records.Query(call.Tenant.Id, start.ToUnixTimeMilliseconds(), long.MaxValue).Where(r => r.Account == account).ToList();

    public static XmlReply QueryYFKRec(YobaoxingCall call)
    {
        RequireAccount(call, AccountRecord.DepositAccount);
        var local = call.Now.ToOffset(YobaoxingServices.China);
        var (topUps, spent) = Totals(Since(call, AccountRecord.DepositAccount, new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, YobaoxingServices.China)));
        var balance = Money.Balance(call, AccountRecord.DepositAccount);
        var reply = call.Ok().Open("Item");
        return Unit(call, reply).Money("SQJY", balance - topUps + spent).Money("BQDF", spent).Money("BQSQ", topUps).Money("BQJY", balance).Close("Item");
    }

    public static XmlReply QueryFKRec(YobaoxingCall call)
    {
        RequireAccount(call, AccountRecord.RebateAccount);
        var local = call.Now.ToOffset(YobaoxingServices.China);
        var (topUps, spent) = Totals(Since(call, AccountRecord.RebateAccount, new DateTimeOffset(local.Year, 1, 1, 0, 0, 0, YobaoxingServices.China)));
        var balance = Money.Balance(call, AccountRecord.RebateAccount);
        var reply = call.Ok().Open("Item");
        return Unit(call, reply).Leaf("ND", local.Year).Money("JESQJY", balance - topUps + spent).Money("JEBQSQ", topUps).Money("JEBQDF", spent)
            .Money("JEBQJY", balance).Close("Item");
    }

    static (decimal TopUps, decimal Spent) Totals(IReadOnlyList<AccountRecord> records) =>
        (records.Where(r => r.Amount > 0).Sum(r => r.Amount), -records.Where(r => r.Amount < 0).Sum(r => r.Amount));

    public static XmlReply QueryYFKJYRecCount(YobaoxingCall call) => Count(call, AccountRecord.DepositAccount);

    public static XmlReply QueryFKJYRecCount(YobaoxingCall call) => Count(call, AccountRecord.RebateAccount);

    /// <summary>No record in the window is the documented "没有获取到相关账户交易记录页数信息。".</summary>
    static XmlReply Count(YobaoxingCall call, string account)
    {
        var records = Matching(call, account);
        if (records.Count == 0) throw YobaoxingCall.Fail(-1, "没有获取到相关账户交易记录页数信息。");
        return Orders.PageCount(call, records.Count);
    }

    public static XmlReply QueryYFKJYRec(YobaoxingCall call) => Page(call, AccountRecord.DepositAccount);

    public static XmlReply QueryFKJYRec(YobaoxingCall call) => Page(call, AccountRecord.RebateAccount);

    static XmlReply Page(YobaoxingCall call, string account)
    {
        var page = Orders.PageIndex(call);
        var size = Math.Max(1, call.Settings.Int("pageSize", 20));
        var rows = Matching(call, account).Skip(page * size).Take(size).ToList();
        if (rows.Count == 0) throw YobaoxingCall.Fail(-1, "没有获取到相关账户交易记录信息。");
        var user = call.Tenant.Credential(YobaoxingServices.Supplier, "user") ?? "";
        var reply = call.Ok().Open("Items");
        foreach (var r in rows)
        {
            Unit(call, reply.Open("Item"));
            if (account == AccountRecord.DepositAccount)
                reply.Leaf("JYLX", r.Jylx).Money("QCYE", r.Opening).Money("BQFS", r.Amount).Money("QMYE", r.Closing).Leaf("DJDH", r.Id)
                    .Leaf("YHDLM", r.Operator.Length > 0 ? r.Operator : user).Leaf("BZ", r.Remark).Leaf("RQSJ", r.At);
            else
                reply.Leaf("ND", r.At.Length >= 4 ? r.At[..4] : "").Leaf("JYLX", r.Jylx).Money("JEQCYE", r.Opening).Money("JEBQFS", r.Amount)
                    .Money("JEQMYE", r.Closing).Leaf("DJDH", r.Id).Leaf("YHDLM", r.Operator.Length > 0 ? r.Operator : user).Leaf("JY", r.Remark).Leaf("RQSJ", r.At);
            reply.Close("Item");
        }
        return reply.Close("Items");
    }

    static readonly string[] DepositTypes = ["1", "2"];
    static readonly string[] RebateTypes = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A"];

    /// <summary>
    /// Start_datetime / End_datetime (yyyymmddHHmmss, China time) and JYLX. The V4 rebate pages carry their documented
    /// date messages and the 6-month limit (stated on the count page only; the sandbox applies it to the list too).
    /// </summary>
    static List<AccountRecord> Matching(YobaoxingCall call, string account)
    {
        RequireAccount(call, account);
        var rebateV4 = account == AccountRecord.RebateAccount && !call.Legacy;
        YobaoxingError DateError(string detail) => rebateV4 ? YobaoxingCall.Fail(-1, "传入的日期格式错误，请核查。") : call.Bad(detail);
        var from = Stamp(call.Opt("Start_datetime")) ?? throw DateError("Start_datetime 应为yyyymmddHHmmss");
        var to = Stamp(call.Opt("End_datetime")) ?? throw DateError("End_datetime 应为yyyymmddHHmmss");
        if (from > to) throw rebateV4 ? YobaoxingCall.Fail(-1, "起始日期不能在截止日期之后，请重新选择查询的日期时间。") : call.Bad("起始日期不能在截止日期之后");
        if (rebateV4 && to > from.AddMonths(6)) throw YobaoxingCall.Fail(-1, "最大只能请求6个月内的数据，请重新选择查询的日期时间。");
        var jylx = call.Opt("JYLX")?.ToUpperInvariant();
        if (jylx is not null && !(account == AccountRecord.DepositAccount ? DepositTypes : RebateTypes).Contains(jylx))
            throw call.Bad("JYLX 不是有效的交易类型");
        return call.Services.Records.Query(call.Tenant.Id, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), 100_000)
            .Where(r => r.Account == account && (jylx is null || r.Jylx == jylx))
            .OrderByDescending(r => r.CreatedMs).ThenByDescending(r => r.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>yyyymmddHHmmss in China time; a bare yyyymmdd means the start of that day.</summary>
    static DateTimeOffset? Stamp(string? s)
    {
        if (s is null) return null;
        var format = s.Length == 8 ? "yyyyMMdd" : "yyyyMMddHHmmss";
        return DateTime.TryParseExact(s, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? new DateTimeOffset(d, YobaoxingServices.China)
            : null;
    }
}
