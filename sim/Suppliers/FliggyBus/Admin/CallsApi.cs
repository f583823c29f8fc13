using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Pipeline;
using Sandbox.Suppliers.FliggyBus.Conformance;
using Sandbox.Suppliers.FliggyBus.Qimen;
using static Sandbox.Suppliers.FliggyBus.Model.JsonRead;

namespace Sandbox.Suppliers.FliggyBus.Admin;

/// <summary>
/// What Fliggy's calls into a merchant show: the call log (each call with URL, headers, body, string to sign, sign,
/// reply and verdict), per-method throughput and latency (what a load run reports), and the conformance run against the
/// tenant's own Qimen URL.
/// </summary>
static class CallsApi
{
    public static void Map(RouteGroupBuilder admin, FliggyBusServices s)
    {
        admin.MapGet("/tenants/{tenant}/fliggybus/calls", (string tenant, string? method, string? order, int? limit) => CallsAsync(tenant, method, order, limit, s));
        admin.MapGet("/tenants/{tenant}/fliggybus/calls/stats", (string tenant) => Stats(tenant, s));
        admin.MapDelete("/tenants/{tenant}/fliggybus/calls/stats", (string tenant) => ResetStats(tenant, s));
        admin.MapPost("/tenants/{tenant}/fliggybus/conformance", (string tenant, string? format, HttpContext http) => ConformanceAsync(tenant, format, http, s));
    }

    static async Task<IResult> CallsAsync(string tenant, string? method, string? order, int? limit, FliggyBusServices s)
    {
        if (s.Engine.Tenants.Find(tenant) is null) return AdminProblem.NotFound($"tenant '{tenant}' not found");
        if (method is not null && !QimenMethods.IsKnown(method))
            return AdminProblem.BadRequest($"'{method}' is not one of the 11 merchant APIs ({string.Join(", ", QimenMethods.Names)})");
        return Results.Json(await s.CallLog.QueryAsync(tenant, method, order is null ? null : FliggyBusServices.OrderKey(order), limit ?? 100));
    }

    static IResult Stats(string tenant, FliggyBusServices s) =>
        s.Engine.Tenants.Find(tenant) is null ? AdminProblem.NotFound($"tenant '{tenant}' not found") : Results.Json(s.Stats.Of(tenant));

    /// <summary>Starts the counters afresh (a load run does at the end of its warm-up, so that they cover the measured part).</summary>
    static IResult ResetStats(string tenant, FliggyBusServices s)
    {
        if (s.Engine.Tenants.Find(tenant) is null) return AdminProblem.NotFound($"tenant '{tenant}' not found");
        s.Stats.ForgetTenant(tenant);
        return Results.NoContent();
    }

    /// <summary>
    /// Runs the conformance checks against the tenant's Qimen URL with its account. Body (optional):
    /// <c>{passengers, timeout, ticketingWait, signedTrace}</c>; <c>?format=junit</c> or <c>html</c> answers the report in that form.
    /// </summary>
    static async Task<IResult> ConformanceAsync(string tenant, string? format, HttpContext http, FliggyBusServices s)
    {
        if (format is not (null or "json" or "junit" or "html")) return AdminProblem.BadRequest("format is json (default), junit or html");
        if (CustomersApi.Find(tenant, s, out var bus) is { } problem) return problem;
        JsonObject body = [];
        if (http.Request.ContentLength is > 0)
            try
            {
                body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted) as JsonObject ?? [];
            }
            catch (JsonException e)
            {
                return AdminProblem.BadRequest("invalid JSON: " + e.Message);
            }
        var c = bus!.Credentials;
        var options = new ConformanceOptions
        {
            Url = c.QimenUrl, AppKey = c.QimenAppKey, Secret = c.QimenSecret, CustomerId = c.CustomerId, TopAppKey = c.TopAppKey,
            SignedTrace = Bool(body, "signedTrace") ?? bus.Settings.SignedTrace,
        };
        if (Long(body, "passengers") is { } n)
        {
            if (n is < 1 or > 9) return AdminProblem.BadRequest("passengers is 1–9");
            options = options with { PassengerCount = (int)n };
        }
        foreach (var (field, apply) in new (string, Func<TimeSpan, ConformanceOptions>)[]
                 {
                     ("timeout", d => options with { Timeout = d }), ("ticketingWait", d => options with { TicketingWait = d }),
                 })
        {
            if (Str(body, field) is not { } text) continue;
            if (!Durations.TryParse(text, out var d) || d < TimeSpan.Zero || d > TimeSpan.FromMinutes(2))
                return AdminProblem.BadRequest($"{field} is a duration up to 2 minutes (5s, PT10S)");
            options = apply(d);
        }
        var report = await new ConformanceRunner(s.Client, TimeProvider.System).RunAsync(options, ct: http.RequestAborted);
        return format switch
        {
            "junit" => Results.Text(ConformanceReports.JUnit(report), "application/xml; charset=utf-8"),
            "html" => Results.Text(ConformanceReports.Html(report), "text/html; charset=utf-8"),
            _ => Results.Json(Json(report)),
        };
    }

    static JsonObject Json(ConformanceReport r) => new()
    {
        ["url"] = r.Url,
        ["startedAt"] = r.StartedAt.ToString("O", CultureInfo.InvariantCulture),
        ["durationMs"] = (long)r.Duration.TotalMilliseconds,
        ["passed"] = r.Passed,
        ["failed"] = r.Failed,
        ["skipped"] = r.Skipped,
        ["conforms"] = r.Conforms,
        ["checks"] = new JsonArray(r.Checks.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name,
            ["status"] = c.Status.ToString().ToUpperInvariant(),
            ["reason"] = c.Reason,
            ["method"] = c.Call?.Method,
            ["latencyMs"] = c.Call?.LatencyMs,
            ["findings"] = new JsonArray(c.AllFindings.Select(f => (JsonNode)f.ToString()).ToArray()),
            ["stringToSign"] = c.Call?.StringToSign,
            ["reply"] = c.Call?.ReplyBody ?? c.Call?.Error,
            ["curl"] = c.Curl,
        }).ToArray()),
    };
}
