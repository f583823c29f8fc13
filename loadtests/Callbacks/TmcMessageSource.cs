using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;
using Sandbox.LoadTests.Framework;
using Sandbox.Suppliers.FliggyFlight.Model;
using Sandbox.Suppliers.Top;
using Sandbox.Suppliers.Top.Tmc;

namespace Sandbox.LoadTests.Callbacks;

/// <summary>
/// Fliggy flights' notifications travel over TMC: the integrator's TMC client (Taobao's <c>TmcClient</c>, tmc.js …)
/// connects to the supplier and confirms each message. This source is the sandbox itself, in this process and
/// listening on <c>--listen</c>, with the demo tenant's TOP app; each delivery is one order's TradeNotify (出票成功,
/// type 3) built and published by the sandbox's own Fliggy module, and is timed from its publication to the consumer's
/// <c>confirm</c>. Contract violations: <c>failed</c> (the consumer answered the message with a failed frame, TMC then
/// redelivers it), <c>timeout</c> (not confirmed within the push acknowledgement window, after which TMC redelivers),
/// <c>no-consumer</c> (no client connected to the group when the message was published).
/// </summary>
public sealed class TmcMessageSource : IAsyncDisposable
{
    public const string Supplier = "fliggyflight";
    const string Tenant = "demo";

    readonly InProcessSandbox _sandbox;
    readonly ISupplierModule _module;
    readonly Tenant _tenant;
    readonly Engine.Scenarios.Scenario _scenario;
    readonly IStore _store;
    readonly TmcQueues _queues;
    readonly TmcDispatcher _dispatcher;
    readonly ConcurrentDictionary<string, TaskCompletionSource<bool>> _pending = new();
    readonly long _userId;
    readonly string _userNick;
    readonly long _firstOrder = DateTimeOffset.UtcNow.ToUnixTimeSeconds() * 1000;
    long _sequence;

    public Uri Listen { get; }
    public string Callback => "TradeNotify";
    public string AppKey { get; }
    public string Group => "default";

    /// <summary>How long the consumer has to confirm a pushed message (the tenant's <c>push_ack_timeout_seconds</c>).</summary>
    public TimeSpan Timeout { get; }

    TmcMessageSource(InProcessSandbox sandbox, Uri listen)
    {
        _sandbox = sandbox;
        Listen = listen;
        var sp = sandbox.App.Services;
        _module = sp.GetServices<ISupplierModule>().Single(m => m.Supplier == Supplier);
        _store = sp.GetRequiredService<IStore>();
        _queues = sp.GetRequiredService<TmcQueues>();
        _dispatcher = sp.GetRequiredService<TmcDispatcher>();
        _tenant = sp.GetRequiredService<TenantRegistry>().Find(Tenant) ?? throw new InvalidOperationException("tenants.yaml has no demo tenant");
        var top = TopCredentials.Of(_tenant);
        AppKey = top.AppKey ?? throw new InvalidOperationException("the demo tenant has no TOP app key");
        (_userId, _userNick) = (top.UserId, top.UserNick);
        Timeout = TmcSettings.For(_tenant).PushAckTimeout;
        _scenario = sp.GetRequiredService<ScenarioCatalog>().For(Supplier, "default");
        _queues.Settled += Settled;
    }

    /// <summary>Starts the sandbox on <paramref name="listen"/> (its main listener: the TMC endpoint is <c>ws://…/tmc</c>).</summary>
    public static async Task<TmcMessageSource> StartAsync(Uri listen)
    {
        return new TmcMessageSource(await InProcessSandbox.StartAsync("sandbox-tmc-", listen), listen);
    }

    /// <summary>Consumers connected to the demo app's group now.</summary>
    public int Consumers => _dispatcher.ConnectionsOf(Tenant, Group).Count;

    /// <summary>Waits until a consumer connected (the run starts then); false after <paramref name="wait"/>.</summary>
    public async Task<bool> WaitForConsumerAsync(TimeSpan wait, CancellationToken ct)
    {
        var until = DateTime.UtcNow + wait;
        while (Consumers == 0)
        {
            if (DateTime.UtcNow > until) return false;
            await Task.Delay(200, ct);
        }
        return true;
    }

    void Settled(TmcSettlement s)
    {
        if (s.Tenant != Tenant || s.Content is null) return;
        try
        {
            using var doc = JsonDocument.Parse(s.Content);
            if (doc.RootElement.TryGetProperty("order_no", out var no) && no.GetString() is { } orderNo && _pending.TryRemove(orderNo, out var done))
                done.TrySetResult(s.Confirmed);
        }
        catch (JsonException)
        {
            // not one of ours
        }
    }

    /// <summary>Publishes one order's TradeNotify through the Fliggy module and waits for the consumer's verdict.</summary>
    public async Task<Response<object?>> DeliverAsync(CancellationToken ct)
    {
        if (Consumers == 0) return Response.Fail("no-consumer", $"no TMC client is connected to group {Group} of app {AppKey} at {Listen}");
        var n = Interlocked.Increment(ref _sequence);
        var order = new FlightOrder
        {
            Id = (_firstOrder + n).ToString(CultureInfo.InvariantCulture),
            Status = OrderStatus.Ticketed,
            UserId = _userId,
            UserNick = _userNick,
            AlipayTradeNo = "2026" + (_firstOrder + n).ToString(CultureInfo.InvariantCulture),
        };
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[order.Id] = done;
        try
        {
            var uow = new UnitOfWork(_store);
            _module.BuildCallback(new TransitionContext
            {
                Tenant = _tenant,
                Scenario = _scenario,
                Kind = "order",
                Entity = order,
                From = OrderStatus.PaidTicketing,
                To = OrderStatus.Ticketed,
                Emit = Callback,
                Cause = "callbacks load",
                Uow = uow,
                VirtualNowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            }, Callback);
            if (uow.IsEmpty) return Response.Fail("not-routed", "the demo app does not receive alitrip_flight_TradeNotify (settings.top.tmc.topics)");
            await uow.CommitAsync();
            var confirmed = await done.Task.WaitAsync(Timeout, ct);
            return confirmed ? Response.Ok() : Response.Fail("failed", "the consumer answered the message with a failed frame (TMC redelivers it later)");
        }
        catch (TimeoutException)
        {
            return Response.Fail("timeout", $"not confirmed within {Timeout.TotalSeconds:0.#} s (TMC gives it to another consumer)");
        }
        finally
        {
            _pending.TryRemove(order.Id, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queues.Settled -= Settled;
        await _sandbox.DisposeAsync();
    }
}
