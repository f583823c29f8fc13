using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sandbox.Tests.Infrastructure;

/// <summary>A real HTTP server on loopback that records callbacks and answers what the test scripts.</summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    public sealed record Received(string Method, string Path, string Query, string Body, IReadOnlyDictionary<string, string> Headers, DateTimeOffset At);

    readonly WebApplication _app;
    readonly ConcurrentQueue<Received> _received = new();
    readonly SemaphoreSlim _signal = new(0);

    /// <summary>Decides the reply per received callback (status code, body); default: TechHouse's acknowledgement.</summary>
    public Func<Received, (int Status, string Body)> Reply { get; set; } = _ => (200, "{\"status\":0,\"msg\":\"success\"}");

    /// <summary>How long to wait before answering (a slow receiver); default none.</summary>
    public Func<Received, TimeSpan> Delay { get; set; } = _ => TimeSpan.Zero;

    /// <summary>Whether to reset the connection instead of answering; default never.</summary>
    public Func<Received, bool> Reset { get; set; } = _ => false;

    public string Url { get; private set; } = "";

    CallbackReceiver(WebApplication app) => _app = app;

    /// <summary>Starts on <paramref name="port"/> (0: any free one) — the same port again brings a stopped receiver back.</summary>
    public static async Task<CallbackReceiver> StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var receiver = new CallbackReceiver(app);
        app.Run(async ctx =>
        {
            using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var r = new Received(ctx.Request.Method, ctx.Request.Path, ctx.Request.QueryString.Value ?? "", body,
                ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), DateTimeOffset.UtcNow);
            var (status, reply) = receiver.Reply(r);
            receiver._received.Enqueue(r);
            receiver._signal.Release();
            if (receiver.Delay(r) is { } delay && delay > TimeSpan.Zero)
                try
                {
                    await Task.Delay(delay, ctx.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            if (receiver.Reset(r))
            {
                ctx.Abort();
                return;
            }
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(reply);
        });
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    public IReadOnlyList<Received> All => _received.ToArray();

    /// <summary>Waits until <paramref name="count"/> callbacks in total have arrived (fails the test after the timeout).</summary>
    public async Task<IReadOnlyList<Received>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (_received.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"expected {count} callbacks, got {_received.Count}");
            await _signal.WaitAsync(left);
        }
        return All;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
