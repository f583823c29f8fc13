using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sandbox.LoadTests.Protocol;

namespace Sandbox.LoadTests.Reliability;

/// <summary>
/// The agency's TMC side for the Fliggy flight runs: a WebSocket consumer (the generator's <see cref="TmcConsumer"/>, one
/// connection of the default group) that connects again whenever the sim went away, and after the run a drain of the
/// queue over HTTP (<c>taobao.tmc.messages.consume</c> + <c>taobao.tmc.messages.confirm</c>). It records every
/// <c>alitrip_flight_TradeNotify</c> that arrived by (order_no, type), redeliveries counted.
/// </summary>
public sealed class TmcInbox
{
    readonly ConcurrentDictionary<(string Order, string Type), int> _trade = new();
    long _total, _connects, _drained;

    public long Total => Interlocked.Read(ref _total);
    /// <summary>WebSocket connections made (the first and one after every restart the consumer noticed).</summary>
    public long Connects => Interlocked.Read(ref _connects);
    /// <summary>Messages the HTTP drain after the run consumed and confirmed.</summary>
    public long Drained => Interlocked.Read(ref _drained);

    public bool Received(string orderNo, string type) => _trade.ContainsKey((orderNo, type));

    void Record(string topic, string content)
    {
        Interlocked.Increment(ref _total);
        if (topic != "alitrip_flight_TradeNotify") return;
        try
        {
            using var doc = JsonDocument.Parse(content);
            var order = doc.RootElement.GetProperty("order_no").GetString() ?? "";
            var type = doc.RootElement.GetProperty("type").GetString() ?? "";
            _trade.AddOrUpdate((order, type), 1, (_, n) => n + 1);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            _trade.AddOrUpdate(("(unreadable)", content), 1, (_, n) => n + 1);
        }
    }

    /// <summary>Keeps one consumer connected until <paramref name="ct"/> is cancelled, connecting again after each crash.</summary>
    public async Task ConsumeAsync(Uri sim, TopCredentials app, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TmcConsumer? consumer = null;
            try
            {
                consumer = await TmcConsumer.ConnectAsync(sim.ToString(), app.AppKey, app.AppSecret, connections: 1, onMessage: Record).WaitAsync(TimeSpan.FromSeconds(10), ct);
                Interlocked.Increment(ref _connects);
                await consumer.Closed.WaitAsync(ct);
            }
            catch (Exception)
            {
                // Refused, reset or timed out while the sim restarts: try again shortly.
            }
            finally
            {
                if (consumer is not null) await DisposeQuietly(consumer);
            }
            if (!ct.IsCancellationRequested) await Task.Delay(200, CancellationToken.None);
        }
    }

    static async Task DisposeQuietly(TmcConsumer consumer)
    {
        try
        {
            await consumer.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception)
        {
            // A socket the sim reset may fail to close; it is gone either way.
        }
    }

    /// <summary>Consumes and confirms over HTTP until the default group hands out nothing more.</summary>
    public async Task DrainAsync(TopClient top, CancellationToken ct)
    {
        for (var round = 0; round < 10_000; round++)
        {
            using var reply = await top.CallAsync("taobao.tmc.messages.consume", [("quantity", "200")], ct);
            if (reply.Error is not null) throw new HttpRequestException("taobao.tmc.messages.consume: " + reply.Describe());
            var ids = new List<string>();
            if (reply.Inner.TryGetProperty("messages", out var messages) && messages.TryGetProperty("tmc_message", out var list))
            {
                foreach (var m in list.EnumerateArray())
                {
                    Record(m.GetProperty("topic").GetString() ?? "", m.GetProperty("content").GetString() ?? "");
                    ids.Add(m.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture));
                }
            }
            if (ids.Count == 0) return;
            Interlocked.Add(ref _drained, ids.Count);
            using var confirmed = await top.CallAsync("taobao.tmc.messages.confirm", [("s_message_ids", string.Join(",", ids))], ct);
            if (confirmed.Error is not null) throw new HttpRequestException("taobao.tmc.messages.confirm: " + confirmed.Describe());
        }
    }

    /// <summary>Messages still in the tenant's queues (ready, in flight, delayed, parked), from the admin API.</summary>
    public static async Task<int> PendingAsync(HttpClient http, Uri sim, string tenant)
    {
        var view = (await http.GetFromJsonAsync<JsonObject>(new Uri(sim, $"admin/api/tenants/{tenant}/tmc/queues?limit=10000")))!;
        var pending = 0;
        foreach (var g in view["groups"]?.AsArray() ?? [])
            foreach (var (_, count) in g?["counts"]?.AsObject() ?? [])
                pending += count?.GetValue<int>() ?? 0;
        return pending;
    }
}
