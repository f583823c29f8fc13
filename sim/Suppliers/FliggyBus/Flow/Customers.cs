using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;
using Sandbox.Suppliers.FliggyBus.Validation;
using static Sandbox.Suppliers.FliggyBus.Model.JsonRead;

namespace Sandbox.Suppliers.FliggyBus.Flow;

/// <summary>A passenger as the simulated customer enters it (spec §8.1): name, certificate type and number, 0 adult / 1 child.</summary>
public sealed record PassengerRequest(string Name, string CertType, string CertNo, string Type);

/// <summary>What the simulated customer books (spec §8.1): a schedule, optionally between two of its stations.</summary>
public sealed record BookingRequest(string ScheduleId, string? FromDate, string? FromStationCode, string? ToStationCode,
    IReadOnlyList<PassengerRequest> Passengers, string ContactName, string ContactPhone);

/// <summary>A booking the seat query let through (the order, not yet stored), or why there is none.</summary>
public sealed record BookingDraft(BusOrder? Order, int Status, string? Error, QimenCall? SeatCall, string? ChangedRoute = null);

/// <summary>
/// The simulated Fliggy customers (spec §8.1): they book (seat.query while they wait, then order.create), pay (then
/// order.confirm), ask for refunds (return.query, return.confirm), cancel — through the admin API, or on their own on a
/// schedule when the scenario's <c>settings.bookings</c> says so.
/// </summary>
public sealed class Customers(FliggyBusServices s)
{
    public const string ScheduledTag = "scheduled";

    /// <summary>
    /// Checks the booking against the catalogue and asks seat.query (one attempt: the user is waiting for it); a changed
    /// price or departure time is taken over, as the user re-confirms with the new values (§4.4).
    /// </summary>
    public async Task<BookingDraft> PrepareAsync(BusTenant bus, BookingRequest request, CancellationToken ct = default)
    {
        var catalogue = s.Catalogues.For(bus.Id);
        if (catalogue.Find(request.ScheduleId) is not { } entry)
            return Refused(404, $"scheduleId '{request.ScheduleId}' is not in tenant {bus.Id}'s catalogue ({catalogue.Entries().Count} schedules): "
                                + "sync it first with POST /admin/api/tenants/{tenant}/fliggybus/sync");
        var (line, schedule) = (entry.Line, entry.Schedule);
        if (request.FromDate is { } date && date != schedule.FromDate)
            return Refused(400, $"schedule {schedule.ScheduleId} departs on {schedule.FromDate}, not {date}");
        if (schedule.SaleStatus != 1) return Refused(409, $"班次已停售: schedule {schedule.ScheduleId} has saleStatus {schedule.SaleStatus}");
        var from = request.FromStationCode is { } fc ? line.StationByCode(fc) : line.Stations.FirstOrDefault(x => x.Boarding);
        if (from is not { Boarding: true })
            return Refused(400, $"line {line.Id} has no boarding station '{request.FromStationCode}' ({Codes(line, boarding: true)})");
        var to = request.ToStationCode is { } tc ? line.StationByCode(tc) : line.Stations.LastOrDefault(x => x.Alighting && x.Seq > from.Seq);
        if (to is not { Alighting: true } || to.Seq <= from.Seq)
            return Refused(400, $"line {line.Id} has no alighting station '{request.ToStationCode}' after {from.Code} ({Codes(line, boarding: false)})");
        var max = line.MaxSellNum is { } m and > 0 ? m : 9;
        if (request.Passengers.Count == 0 || request.Passengers.Count > max)
            return Refused(400, $"1 to {max} passengers per order on line {line.Id}, {request.Passengers.Count} given");
        if (PassengerProblem(request) is { } problem) return Refused(400, problem);

        var id = s.NextOrderId();
        var seat = await bus.Calls.CallAsync(QimenMethods.SeatQuery, QimenRequests.Seat(line, schedule, from, to), new ReplyContext { Now = DateTimeOffset.UtcNow }, ct);
        s.CallLog.Record(bus.Id, seat, 1, 1, FliggyBusServices.OrderKey(id), s.Engine.Clock.NowMs(bus.Id));
        if (!seat.Accepted) return Refused(409, "余票查询失败: seat.query " + CallLog.Describe(seat), seat);
        var fields = seat.Reply!.Fields!;
        if (Long(fields, "saleStatus") == 0) return Refused(409, $"班次已停售: seat.query answered saleStatus 0 for {schedule.ScheduleId}", seat);
        var left = Long(fields, "leftTicketCnt") ?? 0;
        if (left < request.Passengers.Count) return Refused(409, $"余票不足: seat.query answered leftTicketCnt {left} for {request.Passengers.Count} passengers", seat);

        var fare = Long(fields, "ticketPrice") ?? BusBooking.Fare(line, schedule, from, to);
        var childFare = Math.Min(fare, line.SegmentPrices.FirstOrDefault(p => p.FromStationCode == from.Code && p.ToStationCode == to.Code)?.ChildPrice
                                       ?? schedule.ChildPrice ?? fare);
        string? changedRoute = null;
        if (Str(fields, "startTime") is { } start && ReplyValidator.ParseChina(start) is { } moved)
        {
            var local = moved.ToOffset(TimeSpan.FromHours(8));
            schedule = schedule with { FromDate = local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), FromTime = local.ToString("HH:mm", CultureInfo.InvariantCulture) };
        }
        if (Long(fields, "ticketPrice") is not null || Str(fields, "startTime") is not null)
            changedRoute = catalogue.UpdateSchedule(schedule.ScheduleId, Long(fields, "ticketPrice"), schedule.FromDate, Str(fields, "startTime") is null ? null : schedule.FromTime,
                s.Engine.Clock.NowMs(bus.Id));

        var passengers = request.Passengers.Select((p, i) => new BusPassenger((i + 1).ToString(CultureInfo.InvariantCulture), p.Name.Trim(), p.CertType, p.CertNo.Trim(),
            p.Type, p.Type == "1" ? childFare : fare)).ToList();
        var booking = new BusBooking(line, schedule, from, to, passengers, request.ContactName, request.ContactPhone);
        var now = s.Engine.Clock.NowMs(bus.Id);
        var body = QimenRequests.OrderCreate(booking, id, s.NextTradeNo(DateTimeOffset.FromUnixTimeMilliseconds(now)));
        body["ticketAmount"] = fare;
        var order = new BusOrder
        {
            Id = id, Status = OrderStatus.Creating, CreatedMs = now, UpdatedMs = now, AlipayTradeNo = body["alipayTradeNo"]!.GetValue<string>(),
            LineId = line.Id, ScheduleId = schedule.ScheduleId, FromCity = line.FromCity, ToCity = line.ToCity, FromStationCode = from.Code,
            ToStationCode = to.Code, FromDate = schedule.FromDate, FromTime = booking.FromTime, DepartureMs = schedule.Departure(line)?.ToUnixTimeMilliseconds(),
            OrderAmount = passengers.Sum(p => p.TicketPrice), IsOrderRefund = line.IsOrderRefund, RefundRules = line.RefundRules.Count > 0 ? [.. line.RefundRules] : null,
            CreateBody = body.ToJsonString(StoreJson.Options),
            Tickets = passengers.Select(p => new BusTicket
            {
                PassengerId = p.PassengerId, PassengerName = p.Name, PassengerType = p.Type, PassengerCertificateType = p.CertificateType,
                PassengerCertificateNo = p.CertificateNo, TicketPrice = p.TicketPrice,
            }).ToList(),
        };
        return new BookingDraft(order, 200, null, seat, changedRoute);
    }

    /// <summary>Stores the booking (status <c>creating</c>) and sends order.create right after the commit.</summary>
    public void Start(BusTenant bus, BookingDraft draft, UnitOfWork uow)
    {
        var order = draft.Order!;
        if (draft.ChangedRoute is { } route) s.Catalogues.SaveRoute(uow, bus.Id, s.Catalogues.For(bus.Id), route);
        s.Engine.Lifecycle.Start(bus.Tenant, FliggyBusServices.Supplier, FliggyBusServices.OrderKind, order, uow, new JsonObject
        {
            ["scheduleId"] = order.ScheduleId, ["passengers"] = order.Tickets.Count, ["orderAmount"] = order.OrderAmount,
            ["leftTicketCnt"] = draft.SeatCall?.Reply?.Fields?["leftTicketCnt"]?.DeepClone(),
        });
        CallJobs.Schedule(s, uow, new CallJob(bus.Id, QimenMethods.OrderCreate, order.Id, 1), order.CreatedMs);
    }

    /// <summary>The user pays: order.confirm follows (the machine's <c>Paid</c> transition emits it). The caller holds the order's lock.</summary>
    public static BusStep Pay(FliggyBusServices s, BusTenant bus, BusOrder order, UnitOfWork uow, long nowMs)
    {
        var step = bus.Machines.Plan(order, new BusEvent(BusEvents.Paid));
        if (!step.Allowed) return step;
        order.PaidMs = nowMs;
        FliggyTimers.CancelPaymentDeadline(s, uow, bus.Id, order);
        return OrderEvents.Offer(s, bus, order, new BusEvent(BusEvents.Paid), uow, "the user paid");
    }

    /// <summary>The user asks to refund some tickets: return.query is sent right after the commit. The caller holds the order's lock.</summary>
    public static void AskRefund(FliggyBusServices s, string tenant, BusOrder order, UnitOfWork uow, IReadOnlyList<string> passengerIds)
    {
        if (passengerIds.Count == 0) return;
        order.Refund = new BusRefund { PassengerIds = [.. passengerIds] };
        OrderEvents.Note(s, tenant, order, uow, "refund-asked", new JsonObject { ["passengers"] = string.Join(",", passengerIds) });
        CallJobs.Schedule(s, uow, new CallJob(tenant, QimenMethods.ReturnQuery, order.Id, 1), order.UpdatedMs);
    }

    // ---- scheduled bookings

    /// <summary>
    /// A scheduled booking came due: book a random saleable schedule for the configured passengers (syncing the
    /// catalogue first when there is none), and arm the next one. Bookings the seat query refuses are skipped: the call
    /// log shows them.
    /// </summary>
    public async Task BookAsync(BusTenant bus, UnitOfWork uow, long nowMs)
    {
        if (bus.Settings.Bookings is not { } plan)
        {
            s.BookingsArmed.TryRemove(bus.Id, out _);
            return;
        }
        FliggyTimers.ArmCustomerBooking(s, uow, bus.Id, nowMs + (long)plan.Every.TotalMilliseconds);
        var catalogue = s.Catalogues.For(bus.Id);
        if (catalogue.IsEmpty)
        {
            CallJobs.Schedule(s, uow, new CallJob(bus.Id, QimenMethods.FromCityQuery, Steps.FromCityStep.Everything, 1), nowMs);
            return;
        }
        var soon = DateTimeOffset.UtcNow.AddHours(3);
        var candidates = catalogue.Entries()
            .Where(e => e.Schedule.SaleStatus == 1 && e.Schedule.LeftTicketCnt >= plan.Passengers && (e.Schedule.Departure(e.Line) is not { } d || d > soon))
            .ToList();
        if (candidates.Count == 0) return;
        var pick = candidates[Random.Shared.Next(candidates.Count)];
        var passengers = Enumerable.Range(0, plan.Passengers).Select(i =>
        {
            var n = Random.Shared.Next(1, 1000);
            return new PassengerRequest(Names[Random.Shared.Next(Names.Length)] + n.ToString(CultureInfo.InvariantCulture), "1",
                IdentityNumbers.Make("330106", new DateOnly(1970 + Random.Shared.Next(40), 1 + Random.Shared.Next(12), 1 + Random.Shared.Next(28)), n), "0");
        }).ToList();
        var draft = await PrepareAsync(bus, new BookingRequest(pick.Schedule.ScheduleId, null, null, null, passengers, "飞猪用户", "13800000000"));
        if (draft.Order is not { } order) return;
        order.Tags.Add(ScheduledTag);
        Start(bus, draft, uow);
    }

    static readonly string[] Names = ["张", "李", "王", "赵", "钱", "孙", "周", "吴", "郑", "陈"];

    static BookingDraft Refused(int status, string error, QimenCall? seat = null) => new(null, status, error, seat);

    static string Codes(Line line, bool boarding) =>
        string.Join(", ", line.Stations.Where(x => boarding ? x.Boarding : x.Alighting).Select(x => x.Code));

    static string? PassengerProblem(BookingRequest request)
    {
        for (var i = 0; i < request.Passengers.Count; i++)
        {
            var p = request.Passengers[i];
            if (string.IsNullOrWhiteSpace(p.Name)) return $"passengers[{i}].name is required";
            if (!CertificateTypes.Qimen.Contains(p.CertType)) return $"passengers[{i}].certType is 1 (身份证), 2 (护照), 3 (港澳通行证) or 4 (台湾通行证)";
            if (string.IsNullOrWhiteSpace(p.CertNo)) return $"passengers[{i}].certNo is required";
            if (p.Type is not ("0" or "1")) return $"passengers[{i}].type is 0 (adult) or 1 (child)";
        }
        var twice = request.Passengers.GroupBy(p => p.CertNo.Trim()).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) return $"certificate {twice.Key} is on the order twice";
        if (string.IsNullOrWhiteSpace(request.ContactName)) return "contactName is required";
        if (request.ContactPhone.Length != 11 || !request.ContactPhone.All(char.IsAsciiDigit)) return "contactPhone is an 11-digit mobile number";
        return null;
    }
}
