using System.Collections.Concurrent;
using Sandbox.Suppliers.FliggyFlight.Catalog;
using Sandbox.Suppliers.Top.Protocol;

namespace Sandbox.Suppliers.FliggyFlight.Operations;

/// <summary>
/// What a listing search depends on besides its request: the tenant's settings and catalogue (by identity: a change of
/// either is a new object), the tenant's seats (a version that moves with every hold and release), and the virtual
/// second it runs in (quote time, today, flights already gone).
/// </summary>
public readonly record struct SearchStamp(FlightSettings Settings, FlightCatalog Catalog, long Seats, long Second)
{
    public bool Same(SearchStamp o) =>
        ReferenceEquals(Settings, o.Settings) && ReferenceEquals(Catalog, o.Catalog) && Seats == o.Seats && Second == o.Second;
}

/// <summary>
/// The item lists searches answered, per tenant and request text, valid while their <see cref="SearchStamp"/> holds: a
/// search is a pure function of its request and the stamp, so a load pipeline asking the same route and date many
/// times a second gets the list (35 items, ~55 KB of JSON) encoded once instead of each time. Only the search's own
/// id is new per call. Bounded: at most <see cref="MaxEntries"/> lists; older seconds go first.
/// </summary>
public sealed class SearchMemo
{
    public const int MaxEntries = 1_024;

    sealed record Entry(SearchStamp Stamp, TopEncoded Items);

    readonly ConcurrentDictionary<(string Tenant, string Request), Entry> _entries = new();

    public TopEncoded? Find(string tenant, string request, SearchStamp stamp) =>
        _entries.TryGetValue((tenant, request), out var e) && e.Stamp.Same(stamp) ? e.Items : null;

    public void Keep(string tenant, string request, SearchStamp stamp, TopEncoded items)
    {
        if (_entries.Count >= MaxEntries)
        {
            foreach (var (key, e) in _entries)
                if (e.Stamp.Second < stamp.Second) _entries.TryRemove(key, out _);
            if (_entries.Count >= MaxEntries) _entries.Clear();
        }
        _entries[(tenant, request)] = new Entry(stamp, items);
    }

    public void ForgetTenant(string tenant)
    {
        foreach (var key in _entries.Keys)
            if (key.Tenant == tenant) _entries.TryRemove(key, out _);
    }
}
