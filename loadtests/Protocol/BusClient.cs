using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sandbox.LoadTests.Protocol;

/// <summary>One reply of the sim's admin API: status code and the parsed body (a problem's <c>detail</c> when it refused).</summary>
public sealed record BusReply(int Status, JsonObject? Body)
{
    public string? Field(string name) => Body?[name]?.ToString();

    public string Describe() => $"HTTP {Status}: {Field("detail") ?? Field("note") ?? Field("status") ?? Body?.ToJsonString() ?? "(no body)"}";
}

/// <summary>
/// The simulated Fliggy customers of the sim's admin API (/admin/api/tenants/{tenant}/fliggybus/…): sync, book, pay,
/// refund, and the per-method counters of the sandbox's calls into the operator.
/// </summary>
public sealed class BusClient(HttpClient http, Uri baseUrl, string? token, string tenant)
{
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private long _passenger = Random.Shared.Next(0, 100_000);

    public string Tenant { get; } = tenant;

    /// <summary>Creates a throw-away tenant whose Qimen URL and account are the operator's (and a random TOP app of its own).</summary>
    public static async Task<BusClient> CreateTenantAsync(AdminClient admin, HttpClient http, Uri baseUrl, string? token, Uri operatorUrl, string appKey, string secret)
    {
        string? id = null;
        await admin.CreateTenantAsync(() =>
        {
            var suffix = RandomNumberGenerator.GetString(Alphanumeric, 10);
            id = "load-bus-" + suffix.ToLowerInvariant();
            return (id, new JsonObject
            {
                ["id"] = id,
                ["name"] = "Fliggy bus load test",
                ["credentials"] = new JsonObject
                {
                    ["fliggybus"] = new JsonObject
                    {
                        ["qimenUrl"] = operatorUrl.ToString(), ["qimenAppKey"] = appKey, ["qimenSecret"] = secret, ["customerId"] = "load_" + suffix,
                    },
                    ["top"] = new JsonObject
                    {
                        ["appKey"] = RandomNumberGenerator.GetString("123456789", 1) + RandomNumberGenerator.GetString("0123456789", 7),
                        ["appSecret"] = RandomNumberGenerator.GetString(Alphanumeric, 32),
                    },
                },
            }.ToJsonString());
        });
        return new BusClient(http, baseUrl, token, id!);
    }

    public Task<BusReply> SyncAsync(CancellationToken ct = default) => SendAsync(HttpMethod.Post, "sync", null, ct);

    public Task<BusReply> CatalogueAsync(CancellationToken ct = default) => SendAsync(HttpMethod.Get, "catalogue", null, ct);

    /// <summary>Books <paramref name="passengers"/> adults with valid-looking ID numbers on a schedule.</summary>
    public Task<BusReply> BookAsync(string scheduleId, int passengers, CancellationToken ct = default)
    {
        var list = new JsonArray();
        for (var i = 0; i < passengers; i++)
        {
            var n = Interlocked.Increment(ref _passenger);
            list.Add(new JsonObject
            {
                ["name"] = "压测" + n.ToString(CultureInfo.InvariantCulture), ["certType"] = "1",
                ["certNo"] = "33010619" + (70 + n % 30).ToString(CultureInfo.InvariantCulture) + "0101" + (n % 10_000).ToString("0000", CultureInfo.InvariantCulture),
                ["type"] = "0",
            });
        }

        return SendAsync(HttpMethod.Post, "orders",
            new JsonObject { ["scheduleId"] = scheduleId, ["passengers"] = list, ["contactName"] = "压测", ["contactPhone"] = "13800000000" }, ct);
    }

    /// <summary>Books one adult named <paramref name="name"/> (a reliability flow's key) with a valid-looking ID number.</summary>
    public Task<BusReply> BookAsync(string scheduleId, string name, long n, CancellationToken ct = default)
    {
        var certNo = "33010619" + (70 + n % 30).ToString(CultureInfo.InvariantCulture) + "0101" + (n % 10_000).ToString("0000", CultureInfo.InvariantCulture);
        var list = new JsonArray(new JsonObject { ["name"] = name, ["certType"] = "1", ["certNo"] = certNo, ["type"] = "0" });
        return SendAsync(HttpMethod.Post, "orders",
            new JsonObject { ["scheduleId"] = scheduleId, ["passengers"] = list, ["contactName"] = "压测", ["contactPhone"] = "13800000000" }, ct);
    }

    public Task<BusReply> GetAsync(string alitripOrderId, CancellationToken ct = default) => SendAsync(HttpMethod.Get, $"orders/{alitripOrderId}", null, ct);

    public Task<BusReply> ActAsync(string alitripOrderId, string action, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"orders/{alitripOrderId}/{action}", null, ct);

    public Task<BusReply> StatsAsync() => SendAsync(HttpMethod.Get, "calls/stats", null, CancellationToken.None);

    public Task<BusReply> ResetStatsAsync() => SendAsync(HttpMethod.Delete, "calls/stats", null, CancellationToken.None);

    private async Task<BusReply> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseUrl, $"admin/api/tenants/{Tenant}/fliggybus/{path}"));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            // Buffered rather than a chunked stream, so the sim gets a Content-Length.
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body.ToJsonString()));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonObject? json = null;
        if (text.Length > 0)
        {
            try
            {
                json = JsonNode.Parse(text) as JsonObject;
            }
            catch (JsonException)
            {
                json = new JsonObject { ["detail"] = text.Length > 200 ? text[..200] : text };
            }
        }

        return new BusReply(response.StatusCode == HttpStatusCode.NoContent ? 204 : (int)response.StatusCode, json);
    }
}
