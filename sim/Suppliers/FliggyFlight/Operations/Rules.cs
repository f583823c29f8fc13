using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Sandbox.Suppliers.FliggyFlight.Operations;

/// <summary>The human-readable refund, change and baggage rules of an item, written from the fee tables that apply.</summary>
static class Rules
{
    // Written once per settings object: a search repeats them on every item.
    static readonly ConditionalWeakTable<FlightSettings, string> RefundTexts = new(), ChangeTexts = new();

    public static string Refund(FlightSettings s) =>
        RefundTexts.GetValue(s, x => Describe(x.RefundFees, "退票") + $"；起飞后未使用客票收取{Percent(x.NoShowRate)}");

    public static string Change(FlightSettings s) => ChangeTexts.GetValue(s, x => Describe(x.ChangeFees, "改签") + "；起飞后不可改签；升舱另收票价差额");

    public static string Baggage(string cabinClass) => cabinClass switch
    {
        "F" => "免费托运行李40KG，手提行李2件各5KG",
        "C" => "免费托运行李30KG，手提行李2件各5KG",
        _ => "免费托运行李20KG，手提行李1件5KG",
    };

    static string Describe(IReadOnlyList<FeeBand> bands, string what)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < bands.Count; i++)
        {
            if (sb.Length > 0) sb.Append('；');
            var from = bands[i].Before;
            sb.Append(from > TimeSpan.Zero ? $"起飞前{Span(from)}(含)以上" : "起飞前").Append(i > 0 && from == TimeSpan.Zero ? $"{Span(bands[i - 1].Before)}内" : "")
                .Append($"{what}收取票面价{Percent(bands[i].Rate)}");
        }
        return sb.ToString();
    }

    static string Span(TimeSpan t) => t.TotalDays >= 1 && t.TotalDays == Math.Floor(t.TotalDays)
        ? $"{t.TotalDays.ToString(CultureInfo.InvariantCulture)}天"
        : $"{t.TotalHours.ToString(CultureInfo.InvariantCulture)}小时";

    static string Percent(decimal rate) => (rate * 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
