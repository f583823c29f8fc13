using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sandbox.LoadTests.Protocol;

public sealed record Envelope<TRequest>(string Action, string Key, string Timestamp, string Signature, string Version, TRequest Request);

public sealed record LowFareSearchRequest(
    string TripType, string FromCity, string ToCity, string FromDate, string RetDate, string AdultNumber, string ChildNumber);

public sealed record AirPricingRequest(RoutingRef Routing, string AdultNumber, string ChildNumber);

public sealed record RoutingRef(string Data);

public sealed record SetPassengersRequest(string SessionId, int RouteType, IReadOnlyList<Passenger> Passengers, Contact Contact);

public sealed record Passenger(
    string PassengerId,
    string FirstName,
    string LastName,
    int AgeType,
    string Birthday,
    string Gender,
    string CardNum,
    string CardType,
    string CardIssuePlace,
    string CardExpired,
    string Nationality);

public sealed record Contact(string FirstName, string LastName, string Address, string Postcode, string Email, string Mobile);

public sealed record SetPaymentToBookingRequest(string SessionId, int RouteType, string PaymentCode, string PayCurrency);

public sealed record CommitRequest(string SessionId, int RouteType);

public sealed record GetBalanceRequest;

/// <summary>Common part of every reply: HTTP is always 200, <see cref="Status"/> 0 means success.</summary>
public class TechHouseReply
{
    public int Status { get; init; }

    public string? Msg { get; init; }
}

public sealed class LowFareSearchReply : TechHouseReply
{
    public IReadOnlyList<Routing>? Routings { get; init; }
}

public sealed class Routing
{
    public string? Data { get; init; }

    public string? Currency { get; init; }
}

public sealed class AirPricingReply : TechHouseReply
{
    public string? SessionId { get; init; }
}

public sealed class CommitReply : TechHouseReply
{
    public string? OrderNo { get; init; }

    public string? OrderStatus { get; init; }
}

/// <summary>SyncOrderStatus push the sim sends to the tenant's callback URL.</summary>
public sealed class OrderStatusPush
{
    public string? OrderNo { get; init; }

    public string? OrderStatus { get; init; }

    public string? Msg { get; init; }
}

public sealed record TenantSpec(
    string Id,
    string Name,
    IReadOnlyDictionary<string, TenantCredentials> Credentials,
    IReadOnlyDictionary<string, string>? Callbacks,
    IReadOnlyDictionary<string, string> Scenarios);

public sealed record TenantCredentials(string Key, string Secret, IReadOnlyDictionary<string, long> Balances);

public sealed class SimStats
{
    public long? WorkingSetBytes { get; init; }

    public long? GcHeapBytes { get; init; }

    /// <summary>The sim process's CPU time (user and kernel, every core) since it started.</summary>
    public long? CpuMs { get; init; }

    /// <summary>PostgreSQL round trips since start (null on SQLite).</summary>
    public long? StoreRoundTrips { get; init; }
}

// Source-generated so serialisation costs no reflection on the hot path. Lenient on input (case, numbers as strings)
// because the sim is written separately and only the field names are contractual.
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(Envelope<LowFareSearchRequest>))]
[JsonSerializable(typeof(Envelope<AirPricingRequest>))]
[JsonSerializable(typeof(Envelope<SetPassengersRequest>))]
[JsonSerializable(typeof(Envelope<SetPaymentToBookingRequest>))]
[JsonSerializable(typeof(Envelope<CommitRequest>))]
[JsonSerializable(typeof(Envelope<GetBalanceRequest>))]
[JsonSerializable(typeof(TechHouseReply))]
[JsonSerializable(typeof(LowFareSearchReply))]
[JsonSerializable(typeof(AirPricingReply))]
[JsonSerializable(typeof(CommitReply))]
[JsonSerializable(typeof(OrderStatusPush))]
[JsonSerializable(typeof(TenantSpec))]
[JsonSerializable(typeof(SimStats))]
internal sealed partial class TechHouseJson : JsonSerializerContext;
