using System.Globalization;
using System.Security.Cryptography;
using Sandbox.Engine.Messages;
using Sandbox.Suppliers.Yobaoxing.Model;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Operations;

/// <summary>
/// SMS verification codes (spec §4.13, §4.22, §4.24): six digits sent to one of the two phones registered on the
/// agent account, written to the message log instead of a phone. A new code replaces the previous one of the same
/// purpose; validity and re-send interval come from the page (deposit 6 min / 1 min, rebate 600 s / 60 s, password
/// change 600 s / 60 s), and at most <c>smsMaxSends</c> (50, "暂定不超过50次") codes per purpose per China day.
/// </summary>
static class Sms
{
    public sealed record Timing(TimeSpan Validity, TimeSpan Interval);

    public static readonly Timing Deposit = new(TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(1));
    public static readonly Timing Rebate = new(TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(60));
    public static readonly Timing Password = new(TimeSpan.FromSeconds(600), TimeSpan.FromSeconds(60));

    /// <summary>The page's errors for a refused send.</summary>
    public sealed record Refusals(YobaoxingError NoPhone, YobaoxingError TooOften, YobaoxingError TooMany);

    public enum Check { Ok, Wrong, Expired }

    /// <summary>The registered phone at <paramref name="index"/> (0 = phone 1), or null when none is registered there.</summary>
    public static string? Phone(YobaoxingCall call, int index)
    {
        var phones = call.Tenant.CredentialsFor(YobaoxingServices.Supplier)?["phones"];
        var list = phones switch
        {
            System.Text.Json.Nodes.JsonArray a => a.Select(p => p?.ToString() ?? "").ToList(),
            { } v => v.ToString().Split(',', StringSplitOptions.TrimEntries).ToList(),
            null => [],
        };
        return index < list.Count && list[index].Length > 0 ? list[index] : null;
    }

    public static int NumIndex(YobaoxingCall call) =>
        call.Opt("NumIndex") switch
        {
            null or "0" => 0,
            "1" => 1,
            _ => throw call.Bad("NumIndex 只能是 0 或 1"),
        };

    /// <summary>Issues a code for <paramref name="purpose"/> and logs the SMS; returns it. Call without holding the account lock.</summary>
    public static SmsCode Issue(YobaoxingCall call, string purpose, int phoneIndex, Timing timing, Refusals refusals, string orderId, string text)
    {
        var phone = Phone(call, phoneIndex) ?? throw refusals.NoPhone;
        var account = call.Account;
        var day = Products.Date(call.Today);
        var max = call.Settings.Int("smsMaxSends", 50);
        SmsCode code;
        lock (account)
        {
            var previous = account.Sms.GetValueOrDefault(purpose);
            if (previous is not null && call.NowMs - previous.IssuedMs < (long)timing.Interval.TotalMilliseconds) throw refusals.TooOften;
            var sends = previous is not null && previous.Day == day ? previous.Sends : 0;
            if (sends >= max) throw refusals.TooMany;
            code = new SmsCode
            {
                Code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("000000", CultureInfo.InvariantCulture),
                OrderId = orderId,
                Phone = phone,
                IssuedMs = call.NowMs,
                Sends = sends + 1,
                Day = day,
            };
            account.Sms[purpose] = code;
            call.SaveAccount();
        }
        call.Services.Engine.Messages.Send(call.Ctx.Uow, new OutboundMessage(call.Tenant.Id, YobaoxingServices.Supplier, "sms", phone, "verification-code",
            string.Format(CultureInfo.InvariantCulture, text, code.Code, (int)timing.Validity.TotalMinutes),
            orderId.Length > 0 && purpose != PasswordPurpose ? YobaoxingServices.OrderKey(orderId) : null));
        return code;
    }

    public const string PasswordPurpose = "PWD";

    public static string DepositPurpose(string orderId) => "YFK:" + orderId;

    public static string RebatePurpose(string orderId) => "FK:" + orderId;

    /// <summary>Compares a code given by the caller with the one in force; the caller consumes it on success.</summary>
    public static Check Verify(YobaoxingCall call, string purpose, string given, Timing timing)
    {
        if (call.Ctx.Has(Failures.SmsCodeExpired)) return Check.Expired;
        if (call.Ctx.Has(Failures.SmsCodeWrong)) return Check.Wrong;
        var account = call.Account;
        lock (account)
        {
            if (account.Sms.GetValueOrDefault(purpose) is not { } code || !code.Code.Equals(given.Trim(), StringComparison.Ordinal)) return Check.Wrong;
            return call.NowMs - code.IssuedMs > (long)timing.Validity.TotalMilliseconds ? Check.Expired : Check.Ok;
        }
    }

    public static void Consume(YobaoxingCall call, string purpose)
    {
        var account = call.Account;
        lock (account)
        {
            if (account.Sms.Remove(purpose)) call.SaveAccount();
        }
    }
}
