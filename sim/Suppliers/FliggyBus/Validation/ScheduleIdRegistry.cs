using System.Collections.Concurrent;
using Sandbox.Suppliers.FliggyBus.Model;

namespace Sandbox.Suppliers.FliggyBus.Validation;

/// <summary>
/// Remembers which <c>scheduleId</c> each departure (line, date, time) was given, across syncs. The seed: "这个唯一标识
/// 一旦生成，以后每次同步都不能变，一旦变了就会认为是新车次" — a changed id makes Fliggy treat the departure as a new
/// schedule (orders and seat queries on the old id break), and one id on two departures mixes them up.
/// </summary>
public sealed class ScheduleIdRegistry
{
    readonly ConcurrentDictionary<(string Line, string Departure), string> _idByDeparture = new();
    readonly ConcurrentDictionary<string, (string Line, string Departure)> _departureById = new(StringComparer.Ordinal);

    public int Count => _idByDeparture.Count;

    /// <summary>Records the schedule; returns why it breaks stability, or null.</summary>
    public string? Observe(Line line, Schedule schedule)
    {
        var departure = (line.Id, schedule.DepartureKey(line));
        var known = _idByDeparture.GetOrAdd(departure, schedule.ScheduleId);
        if (known != schedule.ScheduleId)
            return $"the departure {departure.Item2} of line {line.Id} was '{known}' in an earlier sync and is now '{schedule.ScheduleId}': Fliggy takes it for a new schedule";
        var owner = _departureById.GetOrAdd(schedule.ScheduleId, departure);
        if (owner != departure)
            return $"scheduleId '{schedule.ScheduleId}' already names the departure {owner.Departure} of line {owner.Line}";
        return null;
    }
}
