using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sandbox.Tests.FliggyBus.ReferenceOperator;

/// <summary>
/// A fake bus company on a loopback Kestrel port: it publishes the 11 custom-bus merchant APIs on one Qimen URL,
/// verifies every request with <see cref="SpiUtils"/> (signature, then a 10-minute timestamp window) as a Java
/// merchant does, and keeps schedules, seats, orders, tickets and refunds. With <see cref="OperatorDefect"/> flags it
/// becomes the broken operator conformance must catch.
/// </summary>
public sealed class ReferenceOperator : IAsyncDisposable
{
    public const string AppKey = "23456789";
    public const string Secret = "op-secret-0123456789";
    public const int TimestampMinutes = 10;

    readonly WebApplication _app;
    readonly MerchantApis _apis;

    public string Url { get; private set; } = "";
    public OperatorDefect Defects { get; }
    /// <summary>Every request received: method (query parameter), whether the signature verified, the raw body.</summary>
    public ConcurrentQueue<(string? Method, bool SignatureValid, string Body)> Received { get; } = new();

    ReferenceOperator(WebApplication app, OperatorDefect defects, TimeProvider time)
    {
        _app = app;
        Defects = defects;
        _apis = new MerchantApis(defects, time);
    }

    public static async Task<ReferenceOperator> StartAsync(OperatorDefect defects = OperatorDefect.None, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var op = new ReferenceOperator(app, defects, time ?? TimeProvider.System);
        app.MapPost("/qimen/bus", op.HandleAsync);
        await app.StartAsync();
        op.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/qimen/bus";
        return op;
    }

    public MerchantApis Apis => _apis;

    async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var query = request.QueryString.Value is { Length: > 0 } q ? q[1..] : "";
        var spi = new SpiRequest(request.ContentType, query, name => request.Headers.TryGetValue(name, out var v) ? v.ToString() : null, body);
        var check = SpiUtils.CheckSign(spi, Secret);
        var method = request.Query["method"].ToString();
        Received.Enqueue((method, check.Success, body));

        JsonObject reply;
        if (!check.Success && !Defects.HasFlag(OperatorDefect.AcceptsAnySignature))
            reply = new JsonObject { ["retDesc"] = "Illegal request", ["success"] = "false", ["retCode"] = "sign-check-failure" };
        else if (!Defects.HasFlag(OperatorDefect.IgnoresTimestamp) && !SpiUtils.CheckTimestamp(request.Query["timestamp"], TimestampMinutes, DateTimeOffset.UtcNow))
            reply = MerchantApis.Refuse("illegal-timestamp", "时间戳已过期");
        else
        {
            JsonObject? parsed;
            try
            {
                parsed = JsonNode.Parse(body) as JsonObject;
            }
            catch (JsonException)
            {
                parsed = null;
            }
            reply = parsed is null ? MerchantApis.Refuse("9999", "请求体不是JSON对象") : _apis.Handle(method, parsed);
        }
        http.Response.ContentType = "application/json;charset=utf-8";
        await http.Response.WriteAsync(reply.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
