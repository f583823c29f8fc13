using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.LoadTests.Flows;
using Sandbox.LoadTests.Protocol;

namespace Sandbox.LoadTests.Reliability;

/// <summary>
/// One booking flow per supplier, written for a sim that may die under it: a call that fails on the network is
/// retried with the same request (the same idempotency keys: BPT's PNR and pnrsrcid, Yobaoxing's XCDDH, Fliggy's
/// out_order_no with the identical create_order_request) until the sim is back, and every order the sim acknowledged
/// goes to the ledger.
/// </summary>
public sealed class ReliabilityFlows(Ledger ledger, NoticeInbox inbox, TimeSpan outage)
{
    long _sequence;

    /// <summary>Flow numbers are unique per run; a run's keys are prefixed by its start so that runs never share keys.</summary>
    readonly string _run = DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);

    long Next() => Interlocked.Increment(ref _sequence);

    /// <summary>The call's result, retried across a crash; null when the sim stayed away longer than the outage allowance.</summary>
    async Task<T?> Persist<T>(string supplier, Func<CancellationToken, Task<T>> call, CancellationToken ct) where T : class
    {
        var deadline = DateTime.UtcNow + outage;
        while (true)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                var result = await call(ct);
                ledger.Latency(supplier, watch.Elapsed);
                return result;
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or IOException or TaskCanceledException or System.Text.Json.JsonException)
            {
                ledger.Retried();
                if (DateTime.UtcNow > deadline) return null;
                await Task.Delay(200, ct);
            }
        }
    }

    static string Letters(long n)
    {
        var s = "";
        do
        {
            s = (char)('A' + n % 26) + s;
            n /= 26;
        } while (n > 0);
        return s;
    }

    public async Task TechHouseAsync(TechHouseClient client, Random random, CancellationToken ct)
    {
        ledger.FlowStarted();
        // The passenger's surname is the flow's key: two orders with it would be a duplicate.
        var key = "CR" + Letters(long.Parse(_run, CultureInfo.InvariantCulture)) + "X" + Letters(Next());
        var date = DateTime.UtcNow.AddHours(8).Date.AddDays(1 + random.Next(60)).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var search = await Persist("techhouse", c => client.LowFareSearchAsync(new LowFareSearchRequest("1", "PEK", "SHA", date, "", "1", "0"), c), ct);
        if (search is not { Status: 0, Routings: [{ Data: not null, Currency: not null } routing, ..] })
        {
            ledger.FlowAbandoned();
            return;
        }
        var pricing = await Persist("techhouse", c => client.AirPricingAsync(new AirPricingRequest(new RoutingRef(routing.Data!), "1", "0"), c), ct);
        if (pricing is not { Status: 0, SessionId: { } session })
        {
            ledger.FlowAbandoned();
            return;
        }
        var passenger = new Passenger("0", "LOAD", key, 0, "19830418", "M", $"G{random.Next(100_000_000):D8}", "PP", "CN", "20300506", "CN");
        var contact = new Contact("LOAD", key, "No.99 Fuquan Road, Shanghai", "200335", "load@example.com", "+86 13774293883");
        if (await Persist("techhouse", c => client.SetPassengersAsync(new SetPassengersRequest(session, 1, [passenger], contact), c), ct) is not { Status: 0 }
            || await Persist("techhouse", c => client.SetPaymentToBookingAsync(new SetPaymentToBookingRequest(session, 1, "AG", routing.Currency!), c), ct) is not { Status: 0 })
        {
            ledger.FlowAbandoned();
            return;
        }
        // Booking sessions live in memory (ADR 0002): a Commit retried after a crash finds none and acknowledges nothing.
        if (await Persist("techhouse", c => client.CommitAsync(new CommitRequest(session, 1), c), ct) is { Status: 0, OrderNo: { } orderNo })
            ledger.Acknowledge(new Acknowledged("techhouse", orderNo, key, Completed: true));
        else ledger.FlowAbandoned();
    }

    public async Task BptAsync(BptClient client, CancellationToken ct)
    {
        ledger.FlowStarted();
        var n = Next();
        var code = (long.Parse(_run, CultureInfo.InvariantCulture) * 100_000 + n).ToString(CultureInfo.InvariantCulture);
        var pnr = "Q" + Base36(n, 5);
        var pnrc = "P" + Base36(n, 5);
        var srcId = "CR" + code;
        var callback = new Uri(inbox.Url, "cb/bpt").ToString();
        var input = await Persist("bpt", c => client.InputAsync(pnr, pnrc, "CA", srcId, callback, c), ct);
        if (input is not { Ok: true })
        {
            ledger.FlowAbandoned();
            return;
        }
        ledger.Acknowledge(new Acknowledged("bpt", "CA-" + pnr, srcId, Completed: false));
        var price = input["payprice"] ?? "0";
        if (await Persist("bpt", c => client.PayAsync(pnr, pnrc, "CA", srcId, price, c), ct) is { Ok: true })
            ledger.Acknowledge(new Acknowledged("bpt", "CA-" + pnr, srcId, Completed: true));
    }

    /// <summary>Run-unique PNR characters (A–Z, 0–9), never the ZZ of the failure triggers.</summary>
    string Base36(long n, int width)
    {
        const string digits = "0123456789ABCDEFGHJKLMNPRSTUVWXY";
        var v = n + long.Parse(_run, CultureInfo.InvariantCulture) * 7919;
        var s = new char[width];
        for (var i = width - 1; i >= 0; i--)
        {
            s[i] = digits[(int)(v % digits.Length)];
            v /= digits.Length;
        }
        return new string(s);
    }

    public async Task YobaoxingAsync(YobaoxingClient client, string productId, decimal price, Random random, CancellationToken ct)
    {
        ledger.FlowStarted();
        var xcddh = $"CR{_run}-{Next()}";
        var today = DateTime.UtcNow.AddHours(8).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var quantity = 1 + random.Next(2);
        var money = (price * quantity).ToString("0.00", CultureInfo.InvariantCulture);
        (string, string)[] order =
        [
            ("Order_list", productId + "|" + quantity.ToString(CultureInfo.InvariantCulture)), ("Mobile", client.Encrypt("13800000001")),
            ("ID", client.Encrypt("A" + random.Next(100_000_000).ToString(CultureInfo.InvariantCulture))), ("SXRQ", client.Encrypt(today)),
            ("SmsCode", client.PayPasswordField), ("money", money), ("smsModel", "A"), ("XCDDH", client.Encrypt(xcddh)),
        ];
        var paid = await Persist("yobaoxing", c => client.GetAsync("OrderAndPayWithYDJ", order, c), ct);
        if (paid is not { Retcode: 0 } || paid.Values.GetValueOrDefault("Order_id") is not { Length: > 0 } orderId)
        {
            ledger.FlowAbandoned();
            return;
        }
        ledger.Acknowledge(new Acknowledged("yobaoxing", orderId, xcddh, Completed: false));
        var activated = await Persist("yobaoxing", c => client.GetAsync("ActivateTicket",
            [("orderid", orderId), ("activateall", "1"), ("activatedate", today), ("tickettype", "2"), ("activatemode", "1"), ("timespanindex", "-1")], c), ct);
        if (activated is { Retcode: 0 }) ledger.Acknowledge(new Acknowledged("yobaoxing", orderId, xcddh, Completed: true));
    }

    /// <summary>
    /// Fliggy flights on the TOP gateway: search → airbook → pay. airbook is idempotent on out_order_no when the
    /// create_order_request is the same text (spec §2.4), pay on the order (§2.6): both are retried unchanged.
    /// </summary>
    public async Task FliggyFlightAsync(TopClient client, Random random, CancellationToken ct)
    {
        ledger.FlowStarted();
        JsonObject? item = null;
        using (var search = await Persist("fliggyflight", c => client.CallAsync("alitrip.flight.service.search",
                   [("search_flight_info_req", FliggyFlightFlow.SearchRequest(random))], c), ct))
        {
            if (search is { Ok: true } && search.Inner.TryGetProperty("flight_item_list", out var list))
                foreach (var candidate in list.GetProperty("flight_item").EnumerateArray())
                    if (candidate.GetProperty("product_type").GetString() == "OTA" && !candidate.TryGetProperty("member_type", out _))
                    {
                        item = JsonNode.Parse(candidate.GetRawText())!.AsObject();
                        break;
                    }
        }
        if (item is null)
        {
            ledger.FlowAbandoned();
            return;
        }
        var outOrderNo = $"CR{_run}-{Next()}";
        var (request, total) = FliggyFlightFlow.BookingRequest(item, outOrderNo, random);
        string orderId;
        using (var booked = await Persist("fliggyflight", c => client.CallAsync("alitrip.flight.service.airbook", [("create_order_request", request)], c), ct))
        {
            if (booked is not { Ok: true })
            {
                ledger.FlowAbandoned();
                return;
            }
            orderId = booked.Inner.GetProperty("order_id").GetInt64().ToString(CultureInfo.InvariantCulture);
        }
        ledger.Acknowledge(new Acknowledged("fliggyflight", orderId, outOrderNo, Completed: false));
        using var paid = await Persist("fliggyflight", c => client.CallAsync("alitrip.flight.service.pay", [("order_id", orderId), ("total_price", total)], c), ct);
        if (paid is { Ok: true }) ledger.Acknowledge(new Acknowledged("fliggyflight", orderId, outOrderNo, Completed: true));
    }

    /// <summary>
    /// Fliggy custom bus, the roles turned round: the flow is a simulated Fliggy customer on the admin API (book: the
    /// sandbox sends seat.query and order.create into the generator's <see cref="BusOperator"/>; pay: order.confirm).
    /// The booking has no idempotency key, so a booking cut by a kill is not sent again (a second order for one
    /// customer): the flow ends as "outcome unknown" — it may have left an order, which must then settle on its own.
    /// A connection refused is the one network failure retried: the request never reached the sim.
    /// Paying a paid order is refused (409 "paid already") and changes nothing, so pay is retried across a crash and that
    /// 409 counts as the payment acknowledged.
    /// </summary>
    public async Task FliggyBusAsync(BusClient client, IReadOnlyList<string> schedules, Random random, CancellationToken ct)
    {
        ledger.FlowStarted();
        var n = Next();
        // The passenger's name is the flow's key: two sandbox orders (or two order.create ids at the operator) with it would be a duplicate.
        var key = "CR" + Letters(long.Parse(_run, CultureInfo.InvariantCulture)) + "X" + Letters(n);
        var schedule = schedules[random.Next(schedules.Count)];
        BusReply booked;
        var watch = Stopwatch.StartNew();
        var deadline = DateTime.UtcNow + outage;
        while (true)
        {
            try
            {
                watch.Restart();
                booked = await client.BookAsync(schedule, key, n, ct);
                break;
            }
            catch (HttpRequestException e) when (!ct.IsCancellationRequested && NeverSent(e))
            {
                // Connection refused: the sim is down and the request never reached it, so sending it again cannot make a second order.
                if (DateTime.UtcNow > deadline)
                {
                    ledger.FlowAbandoned();
                    return;
                }
                ledger.Retried();
                await Task.Delay(200, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or IOException or TaskCanceledException)
            {
                // Sent, and cut by the kill (reset, timeout): it may have made an order; not retried.
                ledger.OutcomeUnknown();
                return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // The run's end cut it: it may have made an order too.
                ledger.OutcomeUnknown();
                throw;
            }
        }
        if (booked.Status >= 500)
        {
            ledger.OutcomeUnknown();
            return;
        }
        ledger.Latency("fliggybus", watch.Elapsed);
        if (booked.Status != 201 || booked.Field("alitripOrderId") is not { Length: > 0 } id)
        {
            ledger.FlowAbandoned();
            return;
        }
        ledger.Acknowledge(new Acknowledged("fliggybus", id, key, Completed: false));
        // The booking answers once order.create settled or after its timeout: still creating, the order is polled (a read, safe to retry).
        var status = booked.Field("status");
        for (var i = 0; status == "creating" && i < 20; i++)
        {
            await Task.Delay(500, ct);
            status = (await Persist("fliggybus", c => client.GetAsync(id, c), ct))?.Field("status");
        }
        if (status != "1") return;
        var paid = await Persist("fliggybus", async c =>
        {
            var reply = await client.ActAsync(id, "pay", c);
            return reply.Status >= 500 ? throw new HttpRequestException($"pay {id}: {reply.Describe()}") : reply;
        }, ct);
        if (paid is { Status: 200 } || (paid is { Status: 409 } && paid.Field("detail")?.Contains("paid already", StringComparison.Ordinal) == true))
            ledger.Acknowledge(new Acknowledged("fliggybus", id, key, Completed: true));
    }

    static bool NeverSent(HttpRequestException e) =>
        e.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused };
}
