namespace Sandbox.LoadTests.Framework;

/// <summary>One interval of one series: what completed in it, and the latency percentiles of its successful calls.</summary>
/// <param name="Second">End of the interval, in seconds since the run started.</param>
/// <param name="Phase">The run's phase when the interval ended (warm-up, measuring, draining).</param>
public sealed record SeriesPoint(double Second, double IntervalSeconds, string Phase, long Ok, long Fail, long P50Micros, long P99Micros)
{
    public double OkPerSecond => IntervalSeconds > 0 ? Ok / IntervalSeconds : 0;

    public double FailPerSecond => IntervalSeconds > 0 ? Fail / IntervalSeconds : 0;
}

public enum SeriesKind
{
    Step,
    Flow,

    /// <summary>A latency recorded by a flow that is not a step's duration (callback delivery).</summary>
    Latency,
}

/// <summary>A step, the whole flow or a flow-recorded latency, interval by interval over warm-up and measurement.</summary>
public sealed record Series(string Name, SeriesKind Kind, IReadOnlyList<SeriesPoint> Points, long TotalOk, long TotalFail);

public sealed record GaugePoint(double Second, long Value);

/// <summary>
/// Turns the run's cumulative counters and histograms into per-interval points. It reads both phases' statistics (an
/// invocation scheduled in warm-up completes in the first measured second) once per interval and keeps only the
/// differences, so the hot path records exactly as before and costs nothing more. One sampler calls it; not thread-safe.
/// </summary>
public sealed class TimeSeriesRecorder
{
    public const string FlowSeriesName = "(whole flow)";

    private readonly Dictionary<(SeriesKind, string), Track> _tracks = [];
    private readonly List<Track> _order = [];
    private readonly List<GaugePoint> _inFlight = [];
    private readonly long[] _scratch = new long[Histogram.BucketCount];
    private double _lastSecond;

    public IReadOnlyList<Series> Series => _order.Select(t => t.ToSeries()).ToList();

    public IReadOnlyList<GaugePoint> InFlight => _inFlight;

    /// <summary>Every series' totals and newest point (a track exists from its first point on), for the live view.</summary>
    public IReadOnlyList<ProgressRow> Latest =>
        _order.Select(t => new ProgressRow(t.Name, t.Kind, t.Ok, t.Fail, t.Points[^1].OkPerSecond, t.Points[^1].P50Micros, t.Points[^1].P99Micros)).ToList();

    /// <summary>Closes the interval that ends at <paramref name="second"/> (seconds since the run started).</summary>
    public void Sample(double second, string phase, RunStats warmUp, RunStats measured, long inFlight)
    {
        var interval = second - _lastSecond;
        _lastSecond = second;
        _inFlight.Add(new GaugePoint(second, inFlight));

        var steps = warmUp.Steps.Concat(measured.Steps).OrderBy(s => s.Order).Select(s => s.Name).Distinct();
        foreach (var name in steps)
        {
            var (w, m) = (warmUp.FindStep(name), measured.FindStep(name));
            Close(SeriesKind.Step, name, second, interval, phase, (w?.Ok ?? 0) + (m?.Ok ?? 0), (w?.Fail ?? 0) + (m?.Fail ?? 0), w?.Latency, m?.Latency);
        }

        Close(SeriesKind.Flow, FlowSeriesName, second, interval, phase,
            warmUp.Scenario.Ok + measured.Scenario.Ok, warmUp.Scenario.Fail + measured.Scenario.Fail, warmUp.Scenario.Latency, measured.Scenario.Latency);

        var latencies = warmUp.Latencies.Select(l => l.Name).Concat(measured.Latencies.Select(l => l.Name)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var name in latencies)
        {
            var (w, m) = (warmUp.FindLatency(name), measured.FindLatency(name));
            Close(SeriesKind.Latency, name, second, interval, phase, (w?.Count ?? 0) + (m?.Count ?? 0), 0, w, m);
        }
    }

    private void Close(SeriesKind kind, string name, double second, double interval, string phase, long ok, long fail, Histogram? warmUp, Histogram? measured)
    {
        if (!_tracks.TryGetValue((kind, name), out var track))
        {
            track = new Track(name, kind);
            _tracks[(kind, name)] = track;
            _order.Add(track);
        }

        Array.Clear(_scratch);
        warmUp?.AddBucketsTo(_scratch);
        measured?.AddBucketsTo(_scratch);
        for (var i = 0; i < _scratch.Length; i++)
        {
            (_scratch[i], track.Buckets[i]) = (_scratch[i] - track.Buckets[i], _scratch[i]);
        }

        track.Points.Add(new SeriesPoint(second, interval, phase, ok - track.Ok, fail - track.Fail,
            Histogram.PercentileMicros(_scratch, 50), Histogram.PercentileMicros(_scratch, 99)));
        (track.Ok, track.Fail) = (ok, fail);
    }

    private sealed class Track(string name, SeriesKind kind)
    {
        public string Name => name;

        public SeriesKind Kind => kind;

        public long[] Buckets { get; } = new long[Histogram.BucketCount];

        public List<SeriesPoint> Points { get; } = [];

        public long Ok { get; set; }

        public long Fail { get; set; }

        public Series ToSeries() => new(name, kind, Points.ToList(), Ok, Fail);
    }
}
