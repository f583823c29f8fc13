using System.Text.Json.Nodes;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;
using Sandbox.Suppliers.FliggyBus.Validation;
using static Sandbox.Suppliers.FliggyBus.Model.JsonRead;

namespace Sandbox.Suppliers.FliggyBus.Flow.Steps;

/// <summary>
/// fromcity.query (spec §4.1), the start of a catalogue sync: the departure cities, then tocity.query for each.
/// Every attempt failed: the previous catalogue stays and the merchant is flagged (§3).
/// </summary>
public sealed class FromCityStep : IQimenStep
{
    public const string Everything = "*";

    public string Method => QimenMethods.FromCityQuery;

    public CallRequest? Prepare(JobScope job) => new(QimenRequests.FromCity(), new ReplyContext { Now = DateTimeOffset.UtcNow });

    public bool Accepted(JobScope job, QimenCall call)
    {
        var catalogue = job.S.Catalogues.For(job.Tenant);
        var cities = call.Reply!.Fields!["fromCityList"] as JsonArray ?? [];
        catalogue.SetFromCities(cities, job.NowMs);
        catalogue.Flag(Method, null);
        job.S.Catalogues.SaveCities(job.Uow, job.Tenant, catalogue);
        foreach (var city in catalogue.FromCities()) job.Follow(new CallJob(job.Tenant, QimenMethods.ToCityQuery, city, 1, job.Job.Tag));
        FliggyTimers.ArmOfflinePolling(job.S, job.Bus, job.Uow, job.NowMs);
        return true;
    }

    public void GaveUp(JobScope job, QimenCall call) => CatalogueFlags.Keep(job, Method, call);
}

/// <summary>tocity.query (spec §4.2) for one departure city, then number.query for each of its routes.</summary>
public sealed class ToCityStep : IQimenStep
{
    public string Method => QimenMethods.ToCityQuery;

    public CallRequest? Prepare(JobScope job) => new(QimenRequests.ToCity(job.Job.Subject), new ReplyContext { Now = DateTimeOffset.UtcNow });

    public bool Accepted(JobScope job, QimenCall call)
    {
        var catalogue = job.S.Catalogues.For(job.Tenant);
        var from = job.Job.Subject;
        var cities = call.Reply!.Fields!["toCityList"] as JsonArray ?? [];
        catalogue.SetToCities(from, cities, job.NowMs);
        catalogue.Flag($"{Method} {from}", null);
        job.S.Catalogues.SaveCities(job.Uow, job.Tenant, catalogue);
        foreach (var to in cities.OfType<JsonObject>().Select(c => Str(c, "toCity")).OfType<string>().Distinct())
            job.Follow(new CallJob(job.Tenant, QimenMethods.NumberQuery, NumberStep.Subject(from, to, null), 1, job.Job.Tag));
        return true;
    }

    public void GaveUp(JobScope job, QimenCall call) => CatalogueFlags.Keep(job, $"{Method} {job.Job.Subject}", call);
}

/// <summary>
/// number.query (spec §4.3) for one route, all dates (a sync) or one date (the re-sync after taobao.bus.item.notify):
/// the lines and schedules replace the route's (or that date's) in the catalogue. A reply that changes the
/// <c>scheduleId</c> of a known departure is not taken (the stability rule), so the previous schedules stay.
/// </summary>
public sealed class NumberStep : IQimenStep
{
    public string Method => QimenMethods.NumberQuery;

    public static string Subject(string from, string to, string? date) => $"{from}|{to}|{date}";

    static (string From, string To, string? Date) Parse(string subject)
    {
        var parts = subject.Split('|');
        return (parts[0], parts.Length > 1 ? parts[1] : "", parts.Length > 2 && parts[2].Length > 0 ? parts[2] : null);
    }

    public CallRequest? Prepare(JobScope job)
    {
        var (from, to, date) = Parse(job.Job.Subject);
        return new(QimenRequests.Number(from, to, date),
            new ReplyContext { Schedules = job.S.Catalogues.For(job.Tenant).ScheduleIds, DefaultRefundRules = job.Bus.DefaultRefundRules, Now = DateTimeOffset.UtcNow });
    }

    public bool Accepted(JobScope job, QimenCall call)
    {
        var (from, to, date) = Parse(job.Job.Subject);
        var catalogue = job.S.Catalogues.For(job.Tenant);
        catalogue.SetRoute(from, to, date, call.Reply!.Fields!["lineSchedule"] as JsonArray ?? [], job.NowMs);
        catalogue.Flag($"{Method} {from}→{to}", null);
        job.S.Catalogues.SaveRoute(job.Uow, job.Tenant, catalogue, TenantCatalogue.RouteKey(from, to));
        job.S.Catalogues.SaveCities(job.Uow, job.Tenant, catalogue);
        return true;
    }

    public void GaveUp(JobScope job, QimenCall call)
    {
        var (from, to, _) = Parse(job.Job.Subject);
        CatalogueFlags.Keep(job, $"{Method} {from}→{to}", call);
    }
}

/// <summary>
/// offline.number.query (spec §4.10), polled every <c>offlinePolling</c> for the next <c>offlineHorizonDays</c>: the
/// stopped schedules stop selling, and every issued order on one is marked 停运 — a forced refund is now expected from
/// the merchant (taobao.bus.agent.refund.confirm with refund_scene=force, or multiple.refund.confirm). A failed poll
/// waits for the next cycle.
/// </summary>
public sealed class OfflineNumberStep : IQimenStep
{
    public const string StoppedTag = "schedule-stopped";

    public string Method => QimenMethods.OfflineNumberQuery;

    public CallRequest? Prepare(JobScope job)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(job.NowMs);
        return new(QimenRequests.OfflineNumber(null, null, now, now.AddDays(job.Bus.Settings.OfflineHorizonDays)), new ReplyContext { Now = DateTimeOffset.UtcNow });
    }

    public bool Accepted(JobScope job, QimenCall call)
    {
        var stopped = Objects(call.Reply!.Fields, "lineSchedule").SelectMany(ls => Objects(ls, "scheduleList"))
            .Select(s => Str(s, "scheduleId")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (stopped.Count == 0) return true;
        var catalogue = job.S.Catalogues.For(job.Tenant);
        foreach (var route in catalogue.MarkStopped(stopped, job.NowMs)) job.S.Catalogues.SaveRoute(job.Uow, job.Tenant, catalogue, route);
        foreach (var order in job.S.Orders.Query(job.Tenant, long.MinValue, long.MaxValue))
        {
            if (!stopped.Contains(order.ScheduleId)) continue;
            lock (order)
            {
                if (order.Status != OrderStatus.Issued || !order.Tags.Add(StoppedTag)) continue;
                order.Note = "停运: the merchant stopped this schedule; a forced refund (refund_scene=force) is expected";
                OrderEvents.Note(job.S, job.Tenant, order, job.Uow, "schedule-stopped", new JsonObject { ["scheduleId"] = order.ScheduleId });
            }
        }
        return true;
    }

    public void GaveUp(JobScope job, QimenCall call) => job.S.Catalogues.For(job.Tenant).Flag(Method, job.Describe(call) + "; the next poll tries again");
}

static class CatalogueFlags
{
    /// <summary>The previous catalogue stays; the merchant is flagged with the reason (shown with the catalogue and the sync's answer).</summary>
    public static void Keep(JobScope job, string call, QimenCall last)
    {
        var catalogue = job.S.Catalogues.For(job.Tenant);
        var problem = $"failed {job.Job.Attempt} time(s), the previous catalogue is kept: {job.Describe(last)}";
        catalogue.Flag(call, problem);
        job.S.Catalogues.SaveCities(job.Uow, job.Tenant, catalogue);
        job.Run?.Problem($"{call}: {problem}");
    }
}
