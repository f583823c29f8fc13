namespace Sandbox.LoadTests.Framework;

/// <summary>What the live view shows once a second: every series' newest interval and the run's totals so far.</summary>
public sealed record ProgressFrame(string Scenario, string Phase, TimeSpan Elapsed, TimeSpan Planned, long InFlight, IReadOnlyList<ProgressRow> Rows);

/// <param name="Ok">Successful calls so far, warm-up included.</param>
/// <param name="OkPerSecond">In the last interval.</param>
/// <param name="P99Micros">Of the last interval's successful calls.</param>
public sealed record ProgressRow(string Name, SeriesKind Kind, long Ok, long Fail, double OkPerSecond, long P50Micros, long P99Micros);

/// <summary>Shows a run while it goes; fed by the runner's sampler, never by the requests themselves.</summary>
public interface IProgressView
{
    void Update(ProgressFrame frame);

    Task CompleteAsync(ProgressFrame last);
}

public enum ProgressMode
{
    /// <summary>A live table when stderr is a terminal, plain lines otherwise (CI, redirected).</summary>
    Auto,
    Live,
    Plain,
    None,
}

/// <summary>One line every <see cref="Every"/> on a writer: for CI logs and redirected output.</summary>
public sealed class PlainProgressView(TextWriter output) : IProgressView
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    private TimeSpan _next = Every;

    public void Update(ProgressFrame frame)
    {
        if (frame.Elapsed < _next)
        {
            return;
        }

        while (_next <= frame.Elapsed)
        {
            _next += Every;
        }

        output.WriteLine(Describe(frame));
    }

    public Task CompleteAsync(ProgressFrame last)
    {
        output.WriteLine(Describe(last, final: true));
        return Task.CompletedTask;
    }

    /// <param name="final">The run is over: its last, partial second says nothing about rates.</param>
    public static string Describe(ProgressFrame frame, bool final = false)
    {
        var flow = frame.Rows.FirstOrDefault(r => r.Kind == SeriesKind.Flow);
        var phase = final ? "finished" : frame.Phase;
        var text = $"[{frame.Scenario}] {frame.Elapsed.TotalSeconds:0}s {phase}: {flow?.Ok ?? 0} ok, {flow?.Fail ?? 0} failed, {frame.InFlight} in flight";
        if (flow is not null && !final)
        {
            text += $"; last second {flow.OkPerSecond:0.#}/s, p99 {flow.P99Micros / 1000.0:0.0} ms";
        }

        var failing = frame.Rows.Where(r => r.Kind == SeriesKind.Step && r.Fail > 0).Select(r => $"{r.Name} {r.Fail}").ToList();
        return failing.Count == 0 ? text : $"{text}; failed steps: {string.Join(", ", failing)}";
    }
}

public static class ProgressViews
{
    public static IProgressView? Create(ProgressMode mode, string scenario) => mode switch
    {
        ProgressMode.Auto => (IProgressView?)LiveProgressView.TryCreate(scenario) ?? new PlainProgressView(Console.Error),
        ProgressMode.Live => LiveProgressView.TryCreate(scenario, force: true),
        ProgressMode.Plain => new PlainProgressView(Console.Error),
        _ => null,
    };
}
