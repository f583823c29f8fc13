using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sandbox.Engine.Pipeline;
using Sandbox.Suppliers.TechHouse.Model;

namespace Sandbox.Suppliers.TechHouse.Protocol;

/// <summary>
/// Writes a TechHouse reply: a flat JSON object with <c>status</c> and <c>msg</c> and the action's fields beside
/// them (spec §1.3), streamed with Utf8JsonWriter. Chinese text is written as-is, as in the document's samples.
/// </summary>
public sealed class JsonReply
{
    static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    readonly ArrayBufferWriter<byte> _buffer = new(2048);
    readonly int _status;

    public Utf8JsonWriter W { get; }

    public JsonReply(int status, string msg)
    {
        _status = status;
        W = new Utf8JsonWriter(_buffer, Options);
        W.WriteStartObject();
        W.WriteNumber("status", status);
        W.WriteString("msg", msg.Length > 63 ? msg[..63] : msg);
    }

    public static SupplierReply Error(int status, string? msg = null)
    {
        var r = new JsonReply(status, msg ?? TechHouseStatus.Message(status));
        return r.Finish(null);
    }

    /// <summary>Closes the object; a scenario rule's <c>set:</c> fields replace or add top-level fields.</summary>
    public SupplierReply Finish(JsonObject? set)
    {
        W.WriteEndObject();
        W.Flush();
        var body = _buffer.WrittenSpan.ToArray();
        var status = _status;
        if (set is { Count: > 0 })
        {
            var o = JsonNode.Parse(body)!.AsObject();
            foreach (var (k, v) in set) o[k] = v?.DeepClone();
            body = JsonSerializer.SerializeToUtf8Bytes(o, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            if (o["status"] is JsonValue sv && sv.TryGetValue<int>(out var s)) status = s;
        }
        return new SupplierReply
        {
            ContentType = "application/json; charset=utf-8",
            Body = body,
            ResultCode = status.ToString(),
        };
    }

    public void Money(string name, decimal amount) => W.WriteNumber(name, Math.Round(amount, 2, MidpointRounding.AwayFromZero));

    /// <summary>A segment with the documented fields and the sample extras (spec §4.1), package shape A.</summary>
    public void Segment(Segment s, int index, bool codeShareAsString, bool detail)
    {
        W.WriteStartObject();
        W.WriteString("carrier", s.Carrier);
        W.WriteString("flightNumber", s.FlightNumber);
        W.WriteString("depAirport", s.DepAirport);
        W.WriteString("depTime", s.DepTime);
        W.WriteString("arrAirport", s.ArrAirport);
        W.WriteString("arrTime", s.ArrTime);
        W.WriteString("stopCities", s.StopCities);
        if (codeShareAsString) W.WriteString("codeShare", s.CodeShare ? "true" : "false");
        else W.WriteBoolean("codeShare", s.CodeShare);
        W.WriteNumber("duration", s.Duration);
        W.WriteString("cabin", s.Cabin);
        W.WriteString("cabinClass", s.CabinClass);
        W.WriteString("aircraftCode", s.AircraftCode);
        W.WriteString("operatingFlightno", "");
        W.WriteString("operatingCarrier", "");
        W.WriteString("stopAirports", "");
        if (detail) W.WriteString("pack_code", "");
        else
        {
            W.WriteNumber("segIndex", index);
            W.WriteStartArray("package");
            W.WriteStartObject();
            W.WriteStartArray("packageList");
            W.WriteStartObject();
            W.WriteString("packageCode", "AA");
            Money("amount", s.PackageAmount);
            W.WriteEndObject();
            W.WriteEndArray();
            W.WriteEndObject();
            W.WriteEndArray();
        }
        W.WriteEndObject();
    }

    public void Segments(string name, IReadOnlyList<Segment> segments, bool codeShareAsString, bool detail = false)
    {
        W.WriteStartArray(name);
        for (var i = 0; i < segments.Count; i++) Segment(segments[i], i, codeShareAsString, detail);
        W.WriteEndArray();
    }

    /// <summary>A routing object (spec §4.3).</summary>
    public void Routing(PricedRouting r, bool codeShareAsString)
    {
        Money("adultFare", r.AdultFare);
        Money("adultTax", r.AdultTax);
        Money("childFare", r.ChildFare);
        Money("childTax", r.ChildTax);
        W.WriteString("currency", r.Currency);
        W.WriteString("data", r.Data);
        W.WriteNumber("routeType", r.RouteType);
        W.WriteNumber("maxSeats", r.MaxSeats);
        Segments("fromSegments", r.FromSegments, codeShareAsString);
        Segments("retSegments", r.RetSegments, codeShareAsString);
    }

    /// <summary>Unix seconds with microseconds, as the samples' undocumented <c>timeflag</c>.</summary>
    public void TimeFlag(DateTimeOffset now) =>
        W.WriteNumber("timeflag", Math.Round(now.ToUnixTimeMilliseconds() / 1000.0 + now.Ticks % 10_000 / 10_000_000.0, 6));
}
