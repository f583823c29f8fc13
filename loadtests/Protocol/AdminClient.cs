using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Sandbox.LoadTests.Protocol;

/// <summary>The sim's admin API: a throw-away tenant per run, and the server's memory before and after.</summary>
public sealed class AdminClient(HttpClient http, Uri baseUrl, string? token)
{
    private const string Alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Creates a fresh tenant with random TechHouse credentials, ticketing instantly, so runs never share state.</summary>
    public async Task<TenantSpec> CreateLoadTenantAsync(string? callbackUrl)
    {
        // Ids have one-second resolution: a run starting in the same second as the previous one retries once the clock moves.
        for (var attempt = 1; ; attempt++)
        {
            var tenant = NewLoadTenant(callbackUrl);
            using var request = Request(HttpMethod.Post, "admin/api/tenants");
            // Buffered rather than JsonContent's chunked stream, so the sim gets a Content-Length.
            request.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(tenant, TechHouseJson.Default.TenantSpec));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.Conflict && attempt < 3)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync();
                throw new HttpRequestException($"creating tenant {tenant.Id} returned HTTP {(int)response.StatusCode}: {body}");
            }

            return tenant;
        }
    }

    /// <summary>
    /// Creates a fresh tenant for the BPT flow: a random PID and B2B login (the login routes the flow's requests to it),
    /// the zero-delay <c>instant</c> scenario and the notice listener as its callbacks.bpt.
    /// </summary>
    public async Task<(string Id, BptCredentials Credentials)> CreateBptTenantAsync(string callbackUrl)
    {
        var suffix = RandomNumberGenerator.GetString(Alphanumeric, 10);
        var credentials = new BptCredentials("2088" + RandomNumberGenerator.GetString("0123456789", 12), "load" + suffix, "pw" + suffix);
        var id = "load-bpt-" + suffix.ToLowerInvariant();
        var tenant = new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = id,
            ["name"] = "BPT load test",
            ["credentials"] = new System.Text.Json.Nodes.JsonObject
            {
                ["bpt"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["partner"] = credentials.Partner,
                    ["key"] = RandomNumberGenerator.GetString(Alphanumeric, 32),
                    ["payaccount"] = "load@example.com",
                    ["b2baccounts"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
                    {
                        ["user"] = credentials.B2bUser, ["password"] = credentials.B2bPassword,
                    }),
                },
            },
            ["callbacks"] = new System.Text.Json.Nodes.JsonObject { ["bpt"] = callbackUrl },
            ["scenarios"] = new System.Text.Json.Nodes.JsonObject { ["bpt"] = "instant" },
            ["settings"] = new System.Text.Json.Nodes.JsonObject { ["bpt"] = new System.Text.Json.Nodes.JsonObject { ["b2b_login"] = "listed" } },
        };
        await CreateTenantAsync(() => (id, tenant.ToJsonString()));
        return (id, credentials);
    }

    /// <summary>
    /// Creates a fresh tenant for the Fliggy flight flow: a random TOP app key, secret and standing session, and the
    /// zero-delay <c>instant</c> scenario (tickets at once, seats never run out).
    /// </summary>
    public async Task<(string Id, TopCredentials Credentials)> CreateTopTenantAsync()
    {
        var suffix = RandomNumberGenerator.GetString(Alphanumeric, 10);
        var credentials = new TopCredentials(RandomNumberGenerator.GetString("123456789", 1) + RandomNumberGenerator.GetString("0123456789", 7),
            RandomNumberGenerator.GetString(Alphanumeric, 32), "load-session-" + suffix);
        var id = "load-top-" + suffix.ToLowerInvariant();
        var tenant = new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = id,
            ["name"] = "Fliggy flight load test",
            ["credentials"] = new System.Text.Json.Nodes.JsonObject
            {
                ["top"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["appKey"] = credentials.AppKey, ["appSecret"] = credentials.AppSecret, ["session"] = credentials.Session,
                    ["userId"] = 2_200_000_100_000 + RandomNumberGenerator.GetInt32(1_000_000), ["userNick"] = "load_" + suffix,
                },
            },
            ["scenarios"] = new System.Text.Json.Nodes.JsonObject { ["fliggyflight"] = "instant" },
        };
        await CreateTenantAsync(() => (id, tenant.ToJsonString()));
        return (id, credentials);
    }

    /// <summary>
    /// Creates a tenant from the JSON <paramref name="make"/> returns (its id has one-second resolution: on a conflict a
    /// new one is made once the clock moved); returns the id.
    /// </summary>
    public async Task<string> CreateTenantAsync(Func<(string Id, string Json)> make)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (id, json) = make();
            using var request = Request(HttpMethod.Post, "admin/api/tenants");
            request.Content = YobaoxingClient.JsonBody(json);
            using var response = await http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.Conflict && attempt < 3)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync();
                throw new HttpRequestException($"creating tenant {id} returned HTTP {(int)response.StatusCode}: {body}");
            }

            return id;
        }
    }

    /// <summary>Best effort: a leftover tenant only costs the sim a little memory.</summary>
    public async Task TryDeleteTenantAsync(string id)
    {
        try
        {
            using var request = Request(HttpMethod.Delete, $"admin/api/tenants/{Uri.EscapeDataString(id)}");
            using var response = await http.SendAsync(request);
        }
        catch (HttpRequestException)
        {
        }
        catch (TaskCanceledException)
        {
        }
    }

    /// <summary>Null when the sim has no stats endpoint or is unreachable: memory is a nice-to-have in the report.</summary>
    public async Task<SimStats?> TryGetStatsAsync()
    {
        try
        {
            using var request = Request(HttpMethod.Get, "admin/api/stats");
            using var response = await http.SendAsync(request);
            return response.IsSuccessStatusCode
                ? await response.Content.ReadFromJsonAsync(TechHouseJson.Default.SimStats)
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(baseUrl, path));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private static TenantSpec NewLoadTenant(string? callbackUrl) => new(
        $"load-{DateTime.UtcNow:yyyyMMddHHmmss}",
        "load test",
        new Dictionary<string, TenantCredentials>
        {
            ["techhouse"] = new(
                "LT" + RandomNumberGenerator.GetString(Alphanumeric, 14),
                RandomNumberGenerator.GetString(Alphanumeric, 32),
                new Dictionary<string, long> { ["CNY"] = 1_000_000_000, ["USD"] = 1_000_000_000 }),
        },
        callbackUrl is null ? null : new Dictionary<string, string> { ["techhouse"] = callbackUrl },
        new Dictionary<string, string> { ["techhouse"] = "instant" });
}
