using System.Globalization;

namespace Sandbox.Suppliers.Top.Protocol;

/// <summary>
/// A reply as TOP models it, independent of the wire format: ordered fields whose values are strings, integers, money,
/// booleans, nested objects or lists. A list knows its item name (<c>flight_segment_list</c> → <c>flight_segment</c>,
/// spec §1.6.1), which the standard JSON and XML write and the simplified JSON leaves out. Null values are omitted.
/// </summary>
public sealed class TopObject
{
    readonly List<KeyValuePair<string, object>> _fields = [];

    public IReadOnlyList<KeyValuePair<string, object>> Fields => _fields;

    public TopObject Add(string name, string? value) => Put(name, value);
    public TopObject Add(string name, long? value) => Put(name, value);
    public TopObject Add(string name, int? value) => Put(name, value is { } v ? (long)v : null);
    public TopObject Add(string name, bool? value) => Put(name, value);
    public TopObject Add(string name, TopObject? value) => Put(name, value);
    public TopObject Add(string name, TopList? value) => Put(name, value);
    public TopObject Add(string name, TopEncoded? value) => Put(name, value);

    /// <summary>Yuan with at most two decimals, written as a JSON number without trailing zeros (500, 92.5).</summary>
    public TopObject Money(string name, decimal? value) => Put(name, value is { } v ? new TopMoney(v) : null);

    /// <summary>Replaces a field in place (or appends it): a scenario rule's <c>set:</c>.</summary>
    public void Set(string name, object value)
    {
        var i = _fields.FindIndex(f => f.Key == name);
        if (i >= 0) _fields[i] = KeyValuePair.Create(name, value);
        else _fields.Add(KeyValuePair.Create(name, value));
    }

    public object? this[string name] => _fields.FirstOrDefault(f => f.Key == name).Value;

    TopObject Put(string name, object? value)
    {
        if (value is not null) _fields.Add(KeyValuePair.Create(name, value));
        return this;
    }
}

/// <summary>A list field: the item element name and the items (objects or scalars).</summary>
public sealed class TopList(string itemName, IEnumerable<object> items)
{
    public string ItemName { get; } = itemName;
    public IReadOnlyList<object> Items { get; } = items.ToList();

    public static TopList Of(string itemName, IEnumerable<TopObject> items) => new(itemName, items);
    public static TopList Strings(IEnumerable<string> items) => new("string", items);
    public static TopList Numbers(IEnumerable<long> items) => new("number", items.Cast<object>());
}

/// <summary>
/// A value (an object or a list) a module hands out many times unchanged — a search's item list within one virtual
/// second: each wire form (standard JSON, simplified JSON, XML) is encoded once, when first written, and copied after.
/// Immutable once built: nothing may change <see cref="Value"/> after it was handed out.
/// </summary>
public sealed class TopEncoded(object value)
{
    public object Value { get; } = value is TopObject or TopList ? value : throw new ArgumentException("an object or a list", nameof(value));

    // Written once per form; readers race only to the same bytes.
    internal byte[]? JsonWrapped;
    internal byte[]? JsonSimplified;
    internal string? Xml;
    internal GzipMember.Deflated? DeflateWrapped;
    internal GzipMember.Deflated? DeflateSimplified;
}

public readonly record struct TopMoney(decimal Value)
{
    public override string ToString() =>
        Math.Round(Value, 2, MidpointRounding.AwayFromZero).ToString("0.##", CultureInfo.InvariantCulture);
}
