using System.Globalization;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Storage;

namespace Sandbox.Suppliers.FliggyBus.Flow;

/// <summary>
/// One attempt of one Qimen call, as a durable timer on the tenant's virtual clock: the method, what it is about
/// (<see cref="Subject"/>: an order id, a city, a route), the attempt number, a tag (the sync it belongs to, a
/// fallback) and an argument (a close type). A timer per method and subject: scheduling again replaces it.
/// </summary>
public sealed record CallJob(string Tenant, string Method, string Subject, int Attempt, string? Tag = null, string? Arg = null)
{
    public const string Handler = "fliggybus.qimen";

    public TimerRow ToTimer(long dueVirtualMs) => new(
        DurableTimers.Id(Tenant, $"{FliggyBusServices.Supplier}:call:{Method}:{Subject}"), Tenant, Handler, FliggyBusServices.Supplier, Method, Subject,
        Attempt.ToString(CultureInfo.InvariantCulture), Tag ?? "", Arg, dueVirtualMs);

    public static CallJob From(TimerRow t) =>
        new(t.Tenant, t.Kind, t.EntityId, int.TryParse(t.From, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1,
            t.To.Length > 0 ? t.To : null, t.Emit);

    public CallJob Next() => this with { Attempt = Attempt + 1 };

    /// <summary>The sync run a catalogue call belongs to (its tag <c>sync:&lt;id&gt;</c>).</summary>
    public string? SyncRunId => Tag is { } t && t.StartsWith(SyncTag, StringComparison.Ordinal) ? t[SyncTag.Length..] : null;

    public const string SyncTag = "sync:";
    /// <summary>order.query after order.confirm failed on every attempt (spec §8).</summary>
    public const string FallbackTag = "fallback";
    /// <summary>number.query of one (from, to, date) after taobao.bus.item.notify (spec §5.4).</summary>
    public const string ResyncTag = "resync";
}
