using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;
using Sandbox.Suppliers.FliggyBus.Validation;
using static Sandbox.Suppliers.FliggyBus.Model.JsonRead;

namespace Sandbox.Suppliers.FliggyBus.Conformance;

/// <summary>
/// The self-test Fliggy offers operators, made thorough: every merchant API called as Fliggy calls it and its reply
/// checked against spec §4, a booking taken through create, confirm, refund and close, and the negative cases a
/// real integration meets (bad or stale signatures, an unknown method, a repeated create, a refund of a refunded
/// ticket, seat counts that must follow the orders).
/// </summary>
public sealed class ConformanceRunner(QimenClient client, TimeProvider time)
{
    public const string UnknownMethod = "qimen.alitrip.custombus.sandbox.unknown";

    public async Task<ConformanceReport> RunAsync(ConformanceOptions options, Action<CheckResult>? onCheck = null, CancellationToken ct = default)
    {
        var started = time.GetUtcNow();
        var run = new Run(client, time, options, onCheck, ct);
        await run.ExecuteAsync();
        return new ConformanceReport(options.Url, started, time.GetUtcNow() - started, run.Results);
    }

    sealed class Run(QimenClient client, TimeProvider time, ConformanceOptions options, Action<CheckResult>? onCheck, CancellationToken ct)
    {
        readonly QimenEndpoint _endpoint = EndpointOf(options);
        // One attempt per call, with the run's timeout: a check reports what the operator answered, not what a retry hid.
        readonly MerchantCalls _calls = new(client, _ => EndpointOf(options), _ => new Config.CallPolicy(options.Timeout, 1, []));
        readonly ScheduleIdRegistry _scheduleIds = new();
        readonly List<(string From, string To)> _pairs = [];
        readonly List<LineSchedule> _lines = [];
        int _orderSeq;
        // A run tag keeps two runs in the same second from meeting each other's orders through create's idempotency.
        readonly int _runTag = Random.Shared.Next(100, 1000);

        public List<CheckResult> Results { get; } = [];

        public async Task ExecuteAsync()
        {
            await NegativeChecksAsync();
            if (!await CatalogueAsync()) return;
            if (PickSchedule() is not { } pick)
            {
                Fail("booking.schedule", $"no saleable schedule (saleStatus 1) with at least {options.PassengerCount * 2} seats and a boarding and an alighting station in {_lines.Sum(l => l.Schedules.Count)} schedules");
                SkipRest("booking.schedule");
                return;
            }
            Add(new CheckResult("booking.schedule", CheckStatus.Pass,
                $"booking {pick.Schedule.ScheduleId} of line {pick.Line.Id} ({pick.Line.Name}) on {pick.Schedule.FromDate}, {pick.Schedule.LeftTicketCnt} seats"));
            await BookingAsync(pick.Line, pick.Schedule);
            await CloseAsync(pick.Line, pick.Schedule);
            await OfflineAsync(pick.Line);
        }

        // ---- negative cases: the operator must refuse what Fliggy never sends

        async Task NegativeChecksAsync()
        {
            var body = QimenRequests.FromCity();
            var wrongSecret = QimenRequest.Build(_endpoint with { Secret = options.Secret + "x" }, QimenMethods.FromCityQuery, body, Now, Trace());
            Refused("sign.bad-signature", await client.SendAsync(wrongSecret, options.Timeout, ct), "a request signed with another secret");

            var stale = QimenRequest.Build(_endpoint, QimenMethods.FromCityQuery, body, Now - TimeSpan.FromMinutes(30), Trace());
            Refused("sign.stale-timestamp", await client.SendAsync(stale, options.Timeout, ct), "a request whose timestamp is 30 minutes old (SpiUtils.checkTimestamp)");

            var signed = QimenRequest.Build(_endpoint, QimenMethods.ToCityQuery, QimenRequests.ToCity("sandbox"), Now, Trace());
            var tampered = signed with { Body = QimenRequests.ToCity("tampered").ToJsonString() };
            Refused("sign.tampered-body", await client.SendAsync(tampered, options.Timeout, ct), "a body changed after signing (the body is part of the signature)");

            Refused("method.unknown", await CallAsync(UnknownMethod, new JsonObject()), $"the method '{UnknownMethod}'");

            var unknownOrder = QimenRequests.OrderRef("SBX-NO-SUCH-ORDER", NewAlitripOrderId());
            Refused("order.query.unknown-order", await CallAsync(QimenMethods.OrderQuery, unknownOrder), "order.query of an order the operator never created");
        }

        void Refused(string name, QimenCall call, string what)
        {
            switch (call.Outcome)
            {
                case QimenOutcome.Timeout or QimenOutcome.ConnectionError:
                    Add(new CheckResult(name, CheckStatus.Fail, $"{what} got no answer: {call.Error}", call));
                    break;
                case QimenOutcome.Success:
                    Add(new CheckResult(name, CheckStatus.Fail, $"{what} was accepted (success=true); it must be refused", call));
                    break;
                case QimenOutcome.SignCheckFailure:
                    Add(new CheckResult(name, CheckStatus.Pass, $"{what} was refused: retCode sign-check-failure", call));
                    break;
                case QimenOutcome.ResponseBodyParseError:
                    Add(new CheckResult(name, CheckStatus.Pass, $"{what} was refused ({call.Error}); the documented refusal is the JSON {{\"retDesc\":\"Illegal request\",\"success\":\"false\",\"retCode\":\"sign-check-failure\"}}", call));
                    break;
                default:
                    Add(new CheckResult(name, CheckStatus.Pass, $"{what} was refused: retCode {call.RetCode ?? "(none)"}, {call.RetDesc ?? "no retDesc"}", call));
                    break;
            }
        }

        // ---- catalogue: from-city → to-city → schedules, twice for stable ids

        async Task<bool> CatalogueAsync()
        {
            var from = await CallAsync(QimenMethods.FromCityQuery, QimenRequests.FromCity());
            var cities = from.Accepted ? Objects(from.Reply!.Fields, "fromCityList").Select(c => Str(c, "fromCity")).OfType<string>().Distinct().ToList() : [];
            if (!Expect("fromcity.query", from, $"{cities.Count} departure cities") || cities.Count == 0)
            {
                if (from.Accepted) Fail("fromcity.query", "fromCityList is empty: nothing to sell", from);
                SkipRest("fromcity.query");
                return false;
            }

            var toCalls = new List<QimenCall>();
            foreach (var city in cities.Take(3))
            {
                var call = await CallAsync(QimenMethods.ToCityQuery, QimenRequests.ToCity(city));
                toCalls.Add(call);
                if (call.Accepted) _pairs.AddRange(Objects(call.Reply!.Fields, "toCityList").Select(c => Str(c, "toCity")).OfType<string>().Select(to => (city, to)));
            }
            if (!ExpectAll("tocity.query", toCalls, $"{_pairs.Count} routes from {toCalls.Count} departure cities") || _pairs.Count == 0)
            {
                if (_pairs.Count == 0 && toCalls.All(c => c.Accepted)) Fail("tocity.query", "no arrival city for any departure city", toCalls[0]);
                SkipRest("tocity.query");
                return false;
            }

            var numberCalls = new List<QimenCall>();
            foreach (var (fromCity, toCity) in _pairs.Take(6))
            {
                var call = await CallAsync(QimenMethods.NumberQuery, QimenRequests.Number(fromCity, toCity), Context());
                numberCalls.Add(call);
                if (call.Accepted) _lines.AddRange(LineSchedule.ReadAll(call.Reply!.Fields));
            }
            var schedules = _lines.Sum(l => l.Schedules.Count);
            if (!ExpectAll("number.query", numberCalls, $"{_lines.Count} lines, {schedules} schedules") || schedules == 0)
            {
                if (schedules == 0 && numberCalls.All(c => c.Accepted)) Fail("number.query", "no schedule on any route", numberCalls[0]);
                SkipRest("number.query");
                return false;
            }

            var again = new List<QimenCall>();
            foreach (var (fromCity, toCity) in _pairs.Take(6))
                again.Add(await CallAsync(QimenMethods.NumberQuery, QimenRequests.Number(fromCity, toCity), Context()));
            var unstable = again.FirstOrDefault(c => c.Findings.Any(f => f.Code == FindingCodes.ScheduleId));
            if (unstable is not null)
                Add(new CheckResult("number.query.stable-schedule-id", CheckStatus.Fail,
                    "a second sync changed schedule ids: " + unstable.Findings.First(f => f.Code == FindingCodes.ScheduleId).Reason, unstable));
            else if (again.FirstOrDefault(c => !c.Accepted) is { } failed)
                Add(new CheckResult("number.query.stable-schedule-id", CheckStatus.Fail, "the second sync failed: " + Why(failed), failed));
            else
                Add(new CheckResult("number.query.stable-schedule-id", CheckStatus.Pass, $"{_scheduleIds.Count} departures kept their scheduleId across two syncs", again[0]));
            return true;
        }

        (Line Line, Schedule Schedule)? PickSchedule()
        {
            var soon = Now + TimeSpan.FromHours(1);
            var candidates =
                from ls in _lines
                from s in ls.Schedules
                where s.SaleStatus == 1 && s.LeftTicketCnt >= options.PassengerCount * 2 && Stations(ls.Line) is not null
                      && (s.Departure(ls.Line) is not { } d || d > soon)
                orderby ls.Line.IsRefund descending, s.Departure(ls.Line) ?? DateTimeOffset.MaxValue descending
                select (ls.Line, s);
            return candidates.Cast<(Line, Schedule)?>().FirstOrDefault();
        }

        static (Station From, Station To)? Stations(Line line)
        {
            var from = line.Stations.FirstOrDefault(s => s.Boarding);
            var to = from is null ? null : line.Stations.LastOrDefault(s => s.Alighting && s.Seq > from.Seq);
            return from is null || to is null ? null : (from, to);
        }

        // ---- one booking: seats, create (twice), query, confirm, refund fee, refund (twice)

        async Task BookingAsync(Line line, Schedule schedule)
        {
            var (from, to) = Stations(line)!.Value;
            var seatBody = QimenRequests.Seat(line, schedule, from, to);
            var seat = await CallAsync(QimenMethods.SeatQuery, seatBody);
            var left = Long(seat.Reply?.Fields, "leftTicketCnt");
            if (!Expect("seat.query", seat, $"{left} seats left on {schedule.ScheduleId}"))
            {
                SkipRest("seat.query");
                return;
            }
            if (Long(seat.Reply!.Fields, "saleStatus") == 0 || left < options.PassengerCount)
            {
                Fail("seat.query", $"schedule {schedule.ScheduleId} is saleable with {schedule.LeftTicketCnt} seats in number.query, but seat.query answers saleStatus {Long(seat.Reply.Fields, "saleStatus")} with {left} seats", seat);
                SkipRest("seat.query");
                return;
            }
            var fare = Long(seat.Reply.Fields, "ticketPrice") ?? BusBooking.Fare(line, schedule, from, to);
            var booking = new BusBooking(line, schedule, from, to, Passengers(options.PassengerCount, fare), "飞猪测试", "13800000000");
            var alitripOrderId = NewAlitripOrderId();
            var createBody = QimenRequests.OrderCreate(booking, alitripOrderId, NewTradeNo());
            var prices = booking.Passengers.ToDictionary(p => p.PassengerId, p => p.TicketPrice);
            var create = await CallAsync(QimenMethods.OrderCreate, createBody, Context() with { PassengerPrices = prices });
            var agentOrderId = Str(create.Reply?.Fields, "agentOrderId");
            if (!Expect("order.create", create, $"agentOrderId {agentOrderId}, status {Str(create.Reply?.Fields, "status")}") || agentOrderId is null)
            {
                SkipRest("order.create");
                return;
            }

            var afterCreate = await CallAsync(QimenMethods.SeatQuery, seatBody);
            var leftAfter = Long(afterCreate.Reply?.Fields, "leftTicketCnt");
            if (!afterCreate.Accepted) Fail("order.create.seat-count", "seat.query after create order failed: " + Why(afterCreate), afterCreate);
            else if (leftAfter != left - booking.Passengers.Count)
                Fail("order.create.seat-count", $"seat.query answered {left} seats before and {leftAfter} after an order of {booking.Passengers.Count} tickets locked seats (expected {left - booking.Passengers.Count})", afterCreate);
            else Pass("order.create.seat-count", $"{left} → {leftAfter} seats after locking {booking.Passengers.Count}", afterCreate);

            var repeat = await CallAsync(QimenMethods.OrderCreate, createBody, Context() with { PassengerPrices = prices });
            var repeatSeats = await CallAsync(QimenMethods.SeatQuery, seatBody);
            if (!repeat.Accepted)
                Fail("order.create.idempotent", $"create order repeated with the same alitripOrderId {alitripOrderId} was refused ({Why(repeat)}); it must return the same order", repeat);
            else if (Str(repeat.Reply!.Fields, "agentOrderId") != agentOrderId)
                Fail("order.create.idempotent", $"the same alitripOrderId {alitripOrderId} created a second order {Str(repeat.Reply.Fields, "agentOrderId")} (first {agentOrderId})", repeat);
            else if (repeatSeats.Accepted && Long(repeatSeats.Reply!.Fields, "leftTicketCnt") != leftAfter)
                Fail("order.create.idempotent", $"the repeated create returned {agentOrderId} but seats went from {leftAfter} to {Long(repeatSeats.Reply.Fields, "leftTicketCnt")}: seats were locked twice", repeatSeats);
            else Pass("order.create.idempotent", $"the same alitripOrderId returned {agentOrderId} again, seats unchanged", repeat);

            var refBody = QimenRequests.OrderRef(agentOrderId, alitripOrderId);
            var query = await CallAsync(QimenMethods.OrderQuery, refBody, Context() with { PassengerPrices = prices });
            if (Expect("order.query", query, $"status {Str(query.Reply?.Fields, "status")}") && Str(query.Reply!.Fields, "status") != OrderStatus.AwaitingPayment)
                Fail("order.query", $"an unpaid order reports status {Str(query.Reply.Fields, "status")}; expected 1 (等待付款)", query);

            var confirm = await CallAsync(QimenMethods.OrderConfirm, refBody, Context() with { PassengerPrices = prices });
            var status = Str(confirm.Reply?.Fields, "status");
            if (!Expect("order.confirm", confirm, $"status {status}"))
            {
                SkipRest("order.confirm");
                return;
            }
            var issued = confirm;
            if (status == OrderStatus.AwaitingTickets)
            {
                var deadline = Now + options.TicketingWait;
                while (Str(issued.Reply?.Fields, "status") == OrderStatus.AwaitingTickets && Now < deadline)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, ct);
                    issued = await CallAsync(QimenMethods.OrderQuery, refBody, Context() with { PassengerPrices = prices });
                }
            }
            if (Str(issued.Reply?.Fields, "status") != OrderStatus.Issued)
            {
                Fail("order.confirm", $"the paid order is at status {Str(issued.Reply?.Fields, "status")} (confirm answered {status}); expected 3 (出票成功), or 2 then 3 within {options.TicketingWait.TotalSeconds:0} s", issued);
                SkipRest("order.confirm");
                return;
            }
            var ticketIds = Objects(issued.Reply!.Fields, "passengerList")
                .Where(p => Str(p, "passengerId") is not null)
                .GroupBy(p => Str(p, "passengerId")!)
                .ToDictionary(g => g.Key, g => Str(g.First(), "ticketId"));

            await RefundAsync(booking, agentOrderId, alitripOrderId, ticketIds, prices);
        }

        async Task RefundAsync(BusBooking booking, string agentOrderId, string alitripOrderId, Dictionary<string, string?> ticketIds, Dictionary<string, long> prices)
        {
            var line = booking.Line;
            var refunded = line.IsOrderRefund ? booking.Passengers : booking.Passengers.Take(1).ToList();
            var context = Context() with { Line = line, Departure = booking.Schedule.Departure(line), PassengerPrices = prices };
            var quoteBody = QimenRequests.ReturnQuery(agentOrderId, alitripOrderId, refunded.Select(p => (p.PassengerId, ticketIds.GetValueOrDefault(p.PassengerId))));
            var quote = await CallAsync(QimenMethods.ReturnQuery, quoteBody, context);
            var canRefund = Bool(quote.Reply?.Fields, "canRefund");
            if (!Expect("return.query", quote, canRefund is { } can ? $"canRefund {(can ? "true" : "false")}" : "canRefund missing"))
            {
                SkipRest("return.query");
                return;
            }
            if (canRefund != true)
            {
                Fail("return.query", $"the issued ticket cannot be refunded ({Str(quote.Reply!.Fields, "refuseReason") ?? "no reason"}): choose a refundable line for the self-test", quote);
                SkipRest("return.query");
                return;
            }
            var fees = Objects(quote.Reply!.Fields, "passengerList").Where(p => Str(p, "passengerId") is not null)
                .GroupBy(p => Str(p, "passengerId")!)
                .ToDictionary(g => g.Key, g => Long(g.First(), "refundSurcharge") ?? 0);
            var confirmBody = QimenRequests.ReturnConfirm(agentOrderId, alitripOrderId, line.IsOrderRefund,
                refunded.Select(p => (p, ticketIds.GetValueOrDefault(p.PassengerId), fees.GetValueOrDefault(p.PassengerId))));
            var confirm = await CallAsync(QimenMethods.ReturnConfirm, confirmBody, context);
            if (!Expect("return.confirm", confirm, $"refundStatus {Str(confirm.Reply?.Fields, "refundStatus")}, refundAmount {Long(confirm.Reply?.Fields, "refundAmount")}"))
            {
                SkipRest("return.confirm");
                return;
            }

            var again = await CallAsync(QimenMethods.ReturnConfirm, confirmBody, context);
            if (again.Outcome is QimenOutcome.Timeout or QimenOutcome.ConnectionError)
                Fail("return.confirm.refunded-ticket", "refunding the refunded ticket again got no answer: " + again.Error, again);
            else if (!again.Accepted && again.Outcome == QimenOutcome.Success)
                Fail("return.confirm.refunded-ticket", "refunding the refunded ticket again answered an invalid reply: " + Why(again), again);
            else if (again.Outcome != QimenOutcome.Success)
                Pass("return.confirm.refunded-ticket", $"refunding the refunded ticket again was refused: retCode {again.RetCode}, {again.RetDesc}", again);
            else if (Str(again.Reply!.Fields, "refundStatus") == Str(confirm.Reply!.Fields, "refundStatus")
                     && Long(again.Reply.Fields, "refundAmount") == Long(confirm.Reply.Fields, "refundAmount"))
                Pass("return.confirm.refunded-ticket", "refunding the refunded ticket again replayed the first answer (idempotent on alitripOrderId and certificates)", again);
            else
                Fail("return.confirm.refunded-ticket", $"the refunded ticket was refunded a second time: refundStatus {Str(again.Reply.Fields, "refundStatus")}, refundAmount {Long(again.Reply.Fields, "refundAmount")} (first {Long(confirm.Reply.Fields, "refundAmount")})", again);

            var requote = await CallAsync(QimenMethods.ReturnQuery, quoteBody, context);
            if (requote.Outcome is QimenOutcome.Timeout or QimenOutcome.ConnectionError)
                Fail("return.query.refunded-ticket", "return.query of the refunded ticket got no answer: " + requote.Error, requote);
            else if (requote.Outcome == QimenOutcome.Success && Bool(requote.Reply!.Fields, "canRefund") == true)
                Fail("return.query.refunded-ticket", "return.query still offers a refund of the refunded ticket (canRefund true)", requote);
            else Pass("return.query.refunded-ticket", "a refunded ticket is no longer refundable", requote);
        }

        // ---- a second order, closed unpaid: seats come back

        async Task CloseAsync(Line line, Schedule schedule)
        {
            var (from, to) = Stations(line)!.Value;
            var seatBody = QimenRequests.Seat(line, schedule, from, to);
            var before = await CallAsync(QimenMethods.SeatQuery, seatBody);
            var booking = new BusBooking(line, schedule, from, to, Passengers(1, BusBooking.Fare(line, schedule, from, to)), "飞猪测试", "13800000000");
            var alitripOrderId = NewAlitripOrderId();
            var create = await CallAsync(QimenMethods.OrderCreate, QimenRequests.OrderCreate(booking, alitripOrderId, NewTradeNo()));
            if (!create.Accepted || Str(create.Reply!.Fields, "agentOrderId") is not { } agentOrderId)
            {
                Fail("order.close", "the order to close could not be created: " + Why(create), create);
                Skip("order.close.seats-released", "order.close");
                return;
            }
            var close = await CallAsync(QimenMethods.OrderClose, QimenRequests.OrderClose(agentOrderId, alitripOrderId, 1, "支付超时"));
            if (!Expect("order.close", close, $"order {agentOrderId} closed (closeType 1, payment timeout)"))
            {
                Skip("order.close.seats-released", "order.close");
                return;
            }
            var after = await CallAsync(QimenMethods.SeatQuery, seatBody);
            var seatsBefore = Long(before.Reply?.Fields, "leftTicketCnt");
            var seatsAfter = Long(after.Reply?.Fields, "leftTicketCnt");
            if (!before.Accepted || !after.Accepted) Fail("order.close.seats-released", "seat.query around the close failed: " + Why(before.Accepted ? after : before), after);
            else if (seatsAfter != seatsBefore) Fail("order.close.seats-released", $"{seatsBefore} seats before the order, {seatsAfter} after it was closed: the locked seat was not released", after);
            else Pass("order.close.seats-released", $"{seatsAfter} seats again after the close", after);
        }

        async Task OfflineAsync(Line line)
        {
            var body = QimenRequests.OfflineNumber(line.FromCity, line.ToCity, Now, Now + TimeSpan.FromDays(7));
            var call = await CallAsync(QimenMethods.OfflineNumberQuery, body);
            Expect("offline.number.query", call, $"{Objects(call.Reply?.Fields, "lineSchedule").Count()} lines with stopped schedules in the next 7 days");
        }

        // ---- helpers

        static QimenEndpoint EndpointOf(ConformanceOptions o) => new(o.Url, o.AppKey, o.Secret, o.CustomerId, o.TopAppKey, o.SignedTrace);

        DateTimeOffset Now => time.GetUtcNow();

        string? Trace() => options.SignedTrace ? QimenClient.NewTraceId() : null;

        ReplyContext Context() => new() { Schedules = _scheduleIds, Now = Now };

        Task<QimenCall> CallAsync(string method, JsonObject body, ReplyContext? context = null) =>
            _calls.CallAsync(method, body, context ?? Context(), ct);

        bool Expect(string name, QimenCall call, string okReason)
        {
            if (call.Accepted) Pass(name, okReason, call);
            else Fail(name, Why(call), call);
            return call.Accepted;
        }

        bool ExpectAll(string name, IReadOnlyList<QimenCall> calls, string okReason)
        {
            var failed = calls.FirstOrDefault(c => !c.Accepted);
            if (failed is null) Pass(name, $"{okReason} ({calls.Count} calls)", calls[0], calls.SelectMany(c => c.Findings).ToList());
            else Fail(name, $"{Why(failed)} (call {calls.ToList().IndexOf(failed) + 1} of {calls.Count})", failed);
            return failed is null;
        }

        static string Why(QimenCall call) => call.Outcome switch
        {
            QimenOutcome.Success when call.Findings.FirstOrDefault(f => f.Severity == Severity.Error) is { } f =>
                $"invalid reply: {f.Path}: {f.Reason}" + (call.Findings.Count(x => x.Severity == Severity.Error) > 1 ? $" (+{call.Findings.Count(x => x.Severity == Severity.Error) - 1} more)" : ""),
            QimenOutcome.Success => "accepted",
            QimenOutcome.Failure => $"refused: retCode {call.RetCode ?? "(none)"}, {call.RetDesc ?? "no retDesc"}",
            QimenOutcome.SignCheckFailure => "the operator refused Fliggy's signature (sign-check-failure): check the app key and secret, and that the query string, signed headers and raw body are verified as SpiUtils.checkSign does",
            _ => $"{call.Outcome}: {call.Error}",
        };

        void Pass(string name, string reason, QimenCall? call, IReadOnlyList<Finding>? findings = null) =>
            Add(new CheckResult(name, CheckStatus.Pass, reason, call, findings));

        void Fail(string name, string reason, QimenCall? call = null)
        {
            // A check that passed its call but fails a later condition replaces its own pass.
            Results.RemoveAll(r => r.Name == name && r.Status == CheckStatus.Pass);
            Add(new CheckResult(name, CheckStatus.Fail, reason, call));
        }

        void Skip(string name, string because) => Add(new CheckResult(name, CheckStatus.Skip, $"not run: {because} failed"));

        /// <summary>
        /// Marks the checks that depend on a failed one as not run, so a report always lists the same checks: after a
        /// catalogue check, everything later; after a booking check, the rest of that booking (close and the
        /// stopped-schedule query still run).
        /// </summary>
        void SkipRest(string failed)
        {
            var index = Array.IndexOf(FlowChecks, failed);
            var end = index <= Array.IndexOf(FlowChecks, "booking.schedule") ? FlowChecks.Length : Array.IndexOf(FlowChecks, "return.query.refunded-ticket") + 1;
            foreach (var name in FlowChecks[(index + 1)..end])
                if (Results.All(r => r.Name != name)) Skip(name, failed);
        }

        void Add(CheckResult result)
        {
            Results.Add(result);
            onCheck?.Invoke(result);
        }

        string NewAlitripOrderId() =>
            "8" + Now.ToOffset(TimeSpan.FromHours(8)).ToString("yyMMddHHmmss", CultureInfo.InvariantCulture)
                + _runTag.ToString(CultureInfo.InvariantCulture) + Interlocked.Increment(ref _orderSeq).ToString("00", CultureInfo.InvariantCulture);

        string NewTradeNo() => Now.ToOffset(TimeSpan.FromHours(8)).ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "2200" + Random.Shared.NextInt64(1_000_000_000_000, 9_999_999_999_999).ToString(CultureInfo.InvariantCulture);

        static IReadOnlyList<BusPassenger> Passengers(int count, long fare) =>
            Enumerable.Range(1, count).Select(i => new BusPassenger(i.ToString(CultureInfo.InvariantCulture), TestNames[(i - 1) % TestNames.Length], "1",
                IdentityNumbers.Make("330106", new DateOnly(1985 + i, 1 + i % 12, 10 + i), 100 + i), "0", fare)).ToList();

        static readonly string[] TestNames = ["张三", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十", "郑十一"];
    }

    /// <summary>Every check of the flow after the negative cases, in order: what a run lists whatever fails early.</summary>
    public static readonly string[] FlowChecks =
    [
        "fromcity.query", "tocity.query", "number.query", "number.query.stable-schedule-id", "booking.schedule", "seat.query", "order.create",
        "order.create.seat-count", "order.create.idempotent", "order.query", "order.confirm", "return.query", "return.confirm",
        "return.confirm.refunded-ticket", "return.query.refunded-ticket", "order.close", "order.close.seats-released", "offline.number.query",
    ];
}
