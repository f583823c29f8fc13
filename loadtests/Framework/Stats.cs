using System.Collections.Concurrent;

namespace Sandbox.LoadTests.Framework;

/// <summary>Counts and OK-latencies of one step (or of whole scenario invocations).</summary>
public sealed class StepStats(string name, int order)
{
    private long _ok;
    private long _fail;

    public string Name { get; } = name;

    /// <summary>Order of first use, so the report lists steps in flow order.</summary>
    public int Order { get; } = order;

    /// <summary>Latency of successful calls only, as NBomber reports "ok" stats: timeouts would otherwise swamp the percentiles.</summary>
    public Histogram Latency { get; } = new();

    public ErrorLog Errors { get; } = new();

    public long Ok => Volatile.Read(ref _ok);

    public long Fail => Volatile.Read(ref _fail);

    public long Count => Ok + Fail;

    public void Record(TimeSpan elapsed, Response response)
    {
        if (response.IsError)
        {
            Interlocked.Increment(ref _fail);
            Errors.Add(response.StatusCode, response.Message);
        }
        else
        {
            Interlocked.Increment(ref _ok);
            Latency.Record(elapsed);
        }
    }
}

/// <summary>
/// Failures by status code (the first <see cref="MaxStatusCodes"/> codes, the rest as "other"), and the first few
/// distinct error messages with their counts; the rest are only counted.
/// </summary>
public sealed class ErrorLog
{
    public const int MaxDistinct = 5;
    public const int MaxStatusCodes = 20;
    public const string OtherStatusCodes = "other";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _counts = [];
    private readonly List<string> _order = [];
    private readonly Dictionary<string, long> _statusCodes = [];
    private long _others;

    public IReadOnlyList<(string StatusCode, long Count)> StatusCodes
    {
        get
        {
            lock (_lock)
            {
                return _statusCodes.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)).ToList();
            }
        }
    }

    public IReadOnlyList<(string Message, long Count)> Distinct
    {
        get
        {
            lock (_lock)
            {
                return _order.Select(m => (m, _counts[m])).ToList();
            }
        }
    }

    /// <summary>Failures whose message arrived after <see cref="MaxDistinct"/> others were already kept.</summary>
    public long Others
    {
        get
        {
            lock (_lock)
            {
                return _others;
            }
        }
    }

    public void Add(string statusCode, string message)
    {
        var text = $"{statusCode}: {message}";
        lock (_lock)
        {
            var code = _statusCodes.ContainsKey(statusCode) || _statusCodes.Count < MaxStatusCodes ? statusCode : OtherStatusCodes;
            _statusCodes[code] = _statusCodes.GetValueOrDefault(code) + 1;
            CountMessage(text);
        }
    }

    // Called under _lock.
    private void CountMessage(string message)
    {
        if (_counts.TryGetValue(message, out var count))
        {
            _counts[message] = count + 1;
        }
        else if (_order.Count < MaxDistinct)
        {
            _counts[message] = 1;
            _order.Add(message);
        }
        else
        {
            _others++;
        }
    }

    public bool Contains(string message)
    {
        lock (_lock)
        {
            return _counts.ContainsKey(message);
        }
    }
}

/// <summary>Everything measured in one phase (warm-up or measurement) of a run.</summary>
public sealed class RunStats(string scenarioName)
{
    private readonly ConcurrentDictionary<string, StepStats> _steps = new();
    private readonly ConcurrentDictionary<string, Histogram> _latencies = new();
    private readonly ConcurrentDictionary<string, Counter> _counters = new();
    private int _nextOrder;
    private long _lateStarts;

    /// <summary>Whole invocations; in the open model timed from their scheduled start, so generator lag is not hidden.</summary>
    public StepStats Scenario { get; } = new(scenarioName, -1);

    /// <summary>How far behind schedule the open model started invocations.</summary>
    public Histogram StartLag { get; } = new();

    public long LateStarts => Volatile.Read(ref _lateStarts);

    public IReadOnlyList<StepStats> Steps => _steps.Values.OrderBy(s => s.Order).ToList();

    public IReadOnlyList<(string Name, Histogram Histogram)> Latencies =>
        _latencies.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)).ToList();

    public IReadOnlyList<(string Name, long Count)> Counters =>
        _counters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value.Value)).ToList();

    public bool HasErrors => Scenario.Fail > 0 || _steps.Values.Any(s => s.Fail > 0);

    public StepStats Step(string name) =>
        _steps.TryGetValue(name, out var stats)
            ? stats
            : _steps.GetOrAdd(name, n => new StepStats(n, Interlocked.Increment(ref _nextOrder)));

    public Histogram Latency(string name) => _latencies.GetOrAdd(name, _ => new Histogram());

    /// <summary>The step's stats if it ran in this phase; unlike <see cref="Step"/>, never adds it.</summary>
    public StepStats? FindStep(string name) => _steps.GetValueOrDefault(name);

    public Histogram? FindLatency(string name) => _latencies.GetValueOrDefault(name);

    public void Increment(string counter) => Interlocked.Increment(ref _counters.GetOrAdd(counter, _ => new Counter()).Value);

    internal void RecordStartLag(TimeSpan lag, TimeSpan lateThreshold)
    {
        StartLag.Record(lag);
        if (lag > lateThreshold)
        {
            Interlocked.Increment(ref _lateStarts);
        }
    }

    private sealed class Counter
    {
        public long Value;
    }
}
