using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;

namespace Sandbox.Engine.Inbox;

/// <summary>
/// The built-in callback receiver, <c>/inbox/{tenant}/{supplier}[/…]</c> on the main listener: a request bin for
/// integrators who have not written their receiver yet. It records what arrives (method, path, query, headers, body,
/// real and virtual time; the newest <see cref="Keep"/> per tenant) and answers as the tenant chose for that supplier:
/// the supplier contract's acknowledgement, a refusal, a slow answer, or a wrong acknowledgement.
/// </summary>
public sealed class CallbackInbox(IStore store, TenantRegistry tenants, VirtualClock clock, IEnumerable<ISupplierModule> modules)
{
    public const string Prefix = "/inbox";
    public const int Keep = 500;
    const int MaxBody = 1024 * 1024;

    readonly Dictionary<string, ISupplierModule> _modules = modules.ToDictionary(m => m.Supplier, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Suppliers => _modules.Keys;

    static string ModeKey(string supplier) => "inbox.mode." + supplier.ToLowerInvariant();

    public InboxMode ModeOf(string tenant, string supplier) =>
        store.GetKv(tenant, ModeKey(supplier)) is { } json && JsonSerializer.Deserialize<StoredMode>(json, StoreJson.Options) is { } m
            ? new InboxMode(m.Mode, TimeSpan.FromMilliseconds(m.DelayMs))
            : InboxMode.Default;

    public Task SetModeAsync(string tenant, string supplier, InboxMode mode)
    {
        var json = JsonSerializer.Serialize(new StoredMode(mode.Mode, (long)mode.Delay.TotalMilliseconds), StoreJson.Options);
        return store.Write(w => w.PutKv(tenant, ModeKey(supplier), json));
    }

    sealed record StoredMode(string Mode, long DelayMs);

    public bool Knows(string supplier) => _modules.ContainsKey(supplier);

    public Task ClearAsync(string tenant, string? supplier) => store.Write(w => w.DeleteInbox(tenant, supplier?.ToLowerInvariant()));

    /// <summary>What arrived, newest first, as the admin API shows it.</summary>
    public JsonArray Query(string tenant, string? supplier, int limit) =>
        new(store.QueryInbox(tenant, supplier?.ToLowerInvariant(), limit).Select(r => (JsonNode)new JsonObject
        {
            ["id"] = r.Id,
            ["supplier"] = r.Supplier,
            ["at"] = DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs).ToString("O"),
            ["virtualAt"] = DateTimeOffset.FromUnixTimeMilliseconds(r.VirtualMs).ToString("O"),
            ["method"] = r.Method,
            ["path"] = r.Path,
            ["query"] = r.Query,
            ["headers"] = JsonNode.Parse(r.Headers),
            ["body"] = Encoding.UTF8.GetString(r.Body),
            ["mode"] = r.Mode,
            ["status"] = r.Status,
            ["answer"] = r.Answer,
        }).ToArray());

    /// <summary>Receives one callback: records it, then answers in the tenant's chosen mode.</summary>
    public async Task ReceiveAsync(HttpContext http, string tenantId, string supplier)
    {
        var tenant = tenants.Find(tenantId);
        if (tenant is null || !_modules.TryGetValue(supplier, out var module))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            await http.Response.WriteAsync(tenant is null
                ? $"sandbox inbox: no tenant '{tenantId}'"
                : $"sandbox inbox: no supplier '{supplier}' (known: {string.Join(", ", _modules.Keys.Order())})");
            return;
        }
        var body = await RequestBodies.ReadLimitedAsync(http, MaxBody);
        if (body is null)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await http.Response.WriteAsync($"sandbox inbox: bodies are kept up to {MaxBody} bytes");
            return;
        }
        var mode = ModeOf(tenant.Id, module.Supplier);
        var answers = module.CallbackContract.Answers;
        var (status, contentType, answer) = mode.Mode switch
        {
            InboxMode.Refuse => (StatusCodes.Status500InternalServerError, "text/plain; charset=utf-8", "sandbox inbox: refused (mode refuse)"),
            InboxMode.WrongAck => (StatusCodes.Status200OK, answers.ContentType, answers.Reject),
            _ => (StatusCodes.Status200OK, answers.ContentType, answers.Acknowledge),
        };
        var headers = new JsonObject();
        foreach (var (name, values) in http.Request.Headers) headers[name] = values.ToString();
        var row = new InboxRow(0, tenant.Id, module.Supplier, clock.RealNow.ToUnixTimeMilliseconds(), clock.NowMs(tenant.Id), http.Request.Method,
            http.Request.Path.Value ?? "", http.Request.QueryString.Value ?? "", headers.ToJsonString(StoreJson.Options), body, mode.Mode, status, answer);
        // Recorded before a slow answer waits, so that what arrived shows at once, also when the sender gives up.
        await store.Write(w => w.InsertInbox(row, Keep));
        if (mode.Mode == InboxMode.Slow)
        {
            try
            {
                await Task.Delay(mode.Delay, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        await http.Response.WriteAsync(answer);
    }
}
