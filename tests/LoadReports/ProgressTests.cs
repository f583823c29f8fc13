using Sandbox.LoadTests.Framework;

namespace Sandbox.Tests.LoadReports;

public class ProgressTests
{
    static ProgressFrame Frame(double seconds, string phase, long ok, long commitFailures = 0) => new(
        "techhouse-flow", phase, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(65), InFlight: 7,
        [
            new ProgressRow("Commit", SeriesKind.Step, ok, commitFailures, 50, 2_000, 9_000),
            new ProgressRow(TimeSeriesRecorder.FlowSeriesName, SeriesKind.Flow, ok, commitFailures, 49.5, 8_000, 24_100),
        ]);

    [Fact]
    public async Task Plain_progress_prints_a_line_every_five_seconds_and_a_closing_one()
    {
        var output = new StringWriter();
        var view = new PlainProgressView(output);

        for (var second = 1; second <= 11; second++) view.Update(Frame(second + 0.01, second <= 5 ? "warm-up" : "measuring", second * 50));
        await view.CompleteAsync(Frame(12.3, "finished", 600, commitFailures: 2));

        Assert.Equal(
        [
            "[techhouse-flow] 5s warm-up: 250 ok, 0 failed, 7 in flight; last second 49.5/s, p99 24.1 ms",
            "[techhouse-flow] 10s measuring: 500 ok, 0 failed, 7 in flight; last second 49.5/s, p99 24.1 ms",
            "[techhouse-flow] 12s finished: 600 ok, 2 failed, 7 in flight; failed steps: Commit 2",
        ], output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_late_tick_prints_one_line_not_one_per_missed_interval()
    {
        var output = new StringWriter();
        var view = new PlainProgressView(output);

        view.Update(Frame(4.9, "warm-up", 1));
        view.Update(Frame(11.2, "measuring", 2));
        view.Update(Frame(14.0, "measuring", 3));
        view.Update(Frame(15.1, "measuring", 4));

        Assert.Equal(2, output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
