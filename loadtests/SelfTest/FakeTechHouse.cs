using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Sandbox.LoadTests.Protocol;

namespace Sandbox.LoadTests.SelfTest;

/// <summary>
/// Just enough of the sim's TechHouse and admin APIs to drive every generator path without the real server:
/// signature checks, the booking chain with session checks, pushes (some before the Commit reply, some without the
/// emitted-at header) and a demo tenant.
/// </summary>
internal sealed class FakeTechHouse : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Tenant> _tenantsByKey = new();
    private readonly ConcurrentDictionary<string, string> _keysById = new();
    private readonly ConcurrentDictionary<string, byte> _sessions = new();
    private readonly HttpClient _pushClient = new(new SocketsHttpHandler { UseProxy = false });
    private WebApplication? _app;
    private long _orders;
    private long _failedPushes;

    private FakeTechHouse()
    {
        _tenantsByKey[TechHouseCredentials.Demo.Key] = new Tenant(TechHouseCredentials.Demo.Secret, null);
    }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Pushes the generator's listener did not acknowledge with status 0.</summary>
    public long FailedPushes => Interlocked.Read(ref _failedPushes);

    /// <param name="port">0 for any free port.</param>
    public static async Task<FakeTechHouse> StartAsync(int port = 0)
    {
        var fake = new FakeTechHouse();
        (fake._app, fake.BaseUrl) = await LocalWebApp.StartAsync(port, app =>
        {
            app.MapGet("/healthz", () => "ok");
            app.MapGet("/admin/api/stats", () => Results.Text(
                $$"""{"workingSetBytes":{{Environment.WorkingSet}},"gcHeapBytes":{{GC.GetTotalMemory(false)}}}""", "application/json"));
            app.MapPost("/admin/api/tenants", fake.CreateTenantAsync);
            app.MapDelete("/admin/api/tenants/{id}", (string id) => fake.DeleteTenant(id));
            app.MapPost("/flight/booking", fake.HandleAsync);
            app.MapPost("/flight/order", fake.HandleAsync);
        });
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _pushClient.Dispose();
    }

    private static IResult Reply(JsonObject body)
    {
        body["status"] = 0;
        body["msg"] = "success";
        return Results.Text(body.ToJsonString(), "application/json");
    }

    private static IResult Reply(int status, string msg) =>
        Results.Text(new JsonObject { ["status"] = status, ["msg"] = msg }.ToJsonString(), "application/json");

    private async Task<IResult> CreateTenantAsync(HttpRequest request)
    {
        var body = (await JsonNode.ParseAsync(request.Body))?.AsObject();
        var id = (string?)body?["id"];
        var key = (string?)body?["credentials"]?["techhouse"]?["key"];
        var secret = (string?)body?["credentials"]?["techhouse"]?["secret"];
        if (id is null || key is null || secret is null)
        {
            return Results.BadRequest();
        }

        if (!_keysById.TryAdd(id, key))
        {
            return Results.Conflict();
        }

        var callback = (string?)body?["callbacks"]?["techhouse"];
        _tenantsByKey[key] = new Tenant(secret, callback is null ? null : new Uri(callback));
        return Results.StatusCode(StatusCodes.Status201Created);
    }

    private IResult DeleteTenant(string id)
    {
        if (!_keysById.TryRemove(id, out var key))
        {
            return Results.NotFound();
        }

        _tenantsByKey.TryRemove(key, out _);
        return Results.NoContent();
    }

    private async Task<IResult> HandleAsync(HttpRequest httpRequest)
    {
        var envelope = (await JsonNode.ParseAsync(httpRequest.Body))?.AsObject();
        var key = (string?)envelope?["key"];
        var timestamp = (string?)envelope?["timestamp"];
        if (envelope is null || key is null || timestamp is null
            || !_tenantsByKey.TryGetValue(key, out var tenant)
            || TechHouseSignature.Sign(key, tenant.Secret, timestamp) != (string?)envelope["signature"])
        {
            return Reply(1001, "signature error");
        }

        var request = envelope["request"] as JsonObject ?? new JsonObject();
        return (string?)envelope["action"] switch
        {
            "LowFareSearch" => Reply(new JsonObject
            {
                ["routings"] = new JsonArray(new JsonObject
                {
                    ["data"] = $"FAKE-{(string?)request["fromDate"]}-{Guid.NewGuid():N}",
                    ["currency"] = "CNY",
                }),
            }),
            "AirPricing" => ((string?)request["routing"]?["data"])?.StartsWith("FAKE-", StringComparison.Ordinal) == true
                ? Reply(new JsonObject { ["sessionId"] = NewSession() })
                : Reply(2001, "unknown routing"),
            "SetPassengers" or "SetPaymentToBooking" => _sessions.ContainsKey(SessionOf(request))
                ? Reply(new JsonObject())
                : Reply(2002, "unknown session"),
            "Commit" => await CommitAsync(tenant, request),
            "GetBalance" => Reply(new JsonObject { ["balances"] = new JsonObject { ["CNY"] = 1_000_000_000 } }),
            var action => Reply(1002, $"unknown action {action}"),
        };
    }

    private async Task<IResult> CommitAsync(Tenant tenant, JsonObject request)
    {
        if (!_sessions.TryRemove(SessionOf(request), out _))
        {
            return Reply(2002, "unknown session");
        }

        var n = Interlocked.Increment(ref _orders);
        var orderNo = $"FAKE{n:D8}";
        var push = PushAsync(tenant, orderNo, withEmittedAt: n % 10 != 0);
        if (n % 2 == 0)
        {
            // Delivered before the generator sees the orderNo: the race its callback listener must survive.
            await push;
        }

        return Reply(new JsonObject { ["orderNo"] = orderNo, ["orderStatus"] = "PENDING" });
    }

    private async Task PushAsync(Tenant tenant, string orderNo, bool withEmittedAt)
    {
        try
        {
            var body = new JsonObject { ["orderNo"] = orderNo, ["orderStatus"] = "TICKETED", ["msg"] = "ticketed", ["tickets"] = new JsonArray() };
            using var message = new HttpRequestMessage(HttpMethod.Post, tenant.Callback)
            {
                Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
            };
            if (withEmittedAt)
            {
                message.Headers.Add(CallbackListener.EmittedAtHeader, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString());
            }

            using var response = await _pushClient.SendAsync(message);
            var reply = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            if (!response.IsSuccessStatusCode || (int?)reply?["status"] != 0)
            {
                Interlocked.Increment(ref _failedPushes);
            }
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _failedPushes);
        }
    }

    private string NewSession()
    {
        var sessionId = Guid.NewGuid().ToString("N");
        _sessions[sessionId] = 0;
        return sessionId;
    }

    private static string SessionOf(JsonObject request) => (string?)request["sessionId"] ?? "";

    private sealed record Tenant(string Secret, Uri? Callback);
}
