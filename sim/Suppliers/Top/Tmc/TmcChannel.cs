using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Pipeline;

namespace Sandbox.Suppliers.Top.Tmc;

/// <summary>
/// The WebSocket endpoint of TMC (spec §3.3.1): WebSocket upgrade requests on the main listener at <c>/tmc</c> and
/// <c>/</c> (the official address is <c>ws://mc.api.taobao.com/</c>). Nothing else is taken: a plain GET of either
/// path answers as before. No subprotocol or Origin is required, and permessage-deflate is declined (the server never
/// answers Sec-WebSocket-Extensions), so every message travels as plain binary.
/// </summary>
public sealed class TmcChannel(
    TmcQueues queues, TmcDispatcher dispatcher, TmcConnectValidator validator, VirtualClock clock, IOptions<TmcOptions> options,
    IHostApplicationLifetime lifetime, ILogger<TmcChannel> log)
{
    public static readonly string[] Paths = ["/tmc", "/"];

    readonly TmcConnectionServices _services = new(queues, dispatcher, validator, clock, options.Value, log);

    public static bool IsUpgrade(HttpContext http) =>
        http.ListenerName() == Listeners.Main
        && Paths.Contains(http.Request.Path.Value ?? "/")
        && http.Request.Headers.Upgrade.Any(u => u is not null && u.Contains("websocket", StringComparison.OrdinalIgnoreCase));

    /// <summary>Maps the branch before the endpoints: the WebSocket middleware runs for upgrade requests only.</summary>
    public static void Map(IApplicationBuilder app) =>
        app.MapWhen(IsUpgrade, branch =>
        {
            branch.UseWebSockets();
            branch.Run(http => http.RequestServices.GetRequiredService<TmcChannel>().AcceptAsync(http));
        });

    async Task AcceptAsync(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync("TMC expects a WebSocket upgrade (RFC 6455, Sec-WebSocket-Version: 13)");
            return;
        }
        var o = options.Value;
        using var ws = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            DangerousEnableCompression = false,
            // Zero sends no keep-alive frames at all (not even unsolicited pongs); see TmcOptions.PingInterval.
            KeepAliveInterval = o.PingInterval,
            KeepAliveTimeout = o.PingInterval > TimeSpan.Zero ? o.PingTimeout : Timeout.InfiniteTimeSpan,
        });
        var remote = $"{http.Connection.RemoteIpAddress}:{http.Connection.RemotePort}";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping, http.RequestAborted);
        await new TmcConnection(ws, _services, remote, http.Request.Path.Value ?? "/").RunAsync(stop.Token);
    }
}
