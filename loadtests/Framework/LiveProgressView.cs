using System.Threading.Channels;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Sandbox.LoadTests.Framework;

/// <summary>
/// A Spectre.Console live table on stderr (stdout keeps the Markdown report, so it can be redirected), redrawn once per
/// sampler tick from the newest frame; frames that arrive while a redraw is running are skipped, not queued.
/// </summary>
public sealed class LiveProgressView : IProgressView
{
    private readonly Channel<ProgressFrame> _frames = Channel.CreateBounded<ProgressFrame>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly Task _display;

    public LiveProgressView(IAnsiConsole console, string scenario)
    {
        _display = console.Live(Waiting(scenario))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async context =>
            {
                await foreach (var frame in _frames.Reader.ReadAllAsync())
                {
                    context.UpdateTarget(Render(frame));
                    context.Refresh();
                }
            });
    }

    /// <summary>The live view for a terminal stderr; null when stderr is redirected or cannot draw in place.</summary>
    public static LiveProgressView? TryCreate(string scenario, bool force = false)
    {
        if (Console.IsErrorRedirected && !force)
        {
            return null;
        }

        // Spectre judges interactivity by stdout, which is often redirected to keep the Markdown report: stderr decides here.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Interactive = InteractionSupport.Yes,
            Ansi = force ? AnsiSupport.Yes : AnsiSupport.Detect,
        });
        return console.Profile.Capabilities.Ansi ? new LiveProgressView(console, scenario) : null;
    }

    public void Update(ProgressFrame frame) => _frames.Writer.TryWrite(frame);

    public async Task CompleteAsync(ProgressFrame last)
    {
        _frames.Writer.TryWrite(last);
        _frames.Writer.TryComplete();
        await _display;
    }

    private static Table Waiting(string scenario) =>
        new Table().Title($"[bold]{Markup.Escape(scenario)}[/] starting").AddColumn("step");

    internal static Table Render(ProgressFrame frame)
    {
        var table = new Table()
            .Border(TableBorder.Rounded)
            .Title($"[bold]{Markup.Escape(frame.Scenario)}[/] · {Phase(frame.Phase)} · {frame.Elapsed.TotalSeconds:0} s of {frame.Planned.TotalSeconds:0} s · {frame.InFlight} in flight")
            .Caption("ok/s and latencies: last second, successful calls; ok and fail: since the start, warm-up included")
            .AddColumn("step")
            .AddColumn(new TableColumn("ok").RightAligned())
            .AddColumn(new TableColumn("fail").RightAligned())
            .AddColumn(new TableColumn("ok/s").RightAligned())
            .AddColumn(new TableColumn("p50 ms").RightAligned())
            .AddColumn(new TableColumn("p99 ms").RightAligned());
        foreach (var row in frame.Rows.OrderBy(r => r.Kind == SeriesKind.Step ? 0 : r.Kind == SeriesKind.Flow ? 1 : 2))
        {
            var name = Markup.Escape(row.Name);
            table.AddRow(
                new Markup(row.Kind == SeriesKind.Flow ? $"[bold]{name}[/]" : row.Kind == SeriesKind.Latency ? $"[italic]{name}[/]" : name),
                Cell(row.Ok.ToString("N0")),
                row.Fail > 0 ? new Markup($"[red]{row.Fail:N0}[/]") : Cell(row.Kind == SeriesKind.Latency ? "" : "0"),
                Cell(row.OkPerSecond.ToString("N1")),
                Cell((row.P50Micros / 1000.0).ToString("0.0")),
                Cell((row.P99Micros / 1000.0).ToString("0.0")));
        }

        return table;
    }

    private static string Phase(string phase) => phase switch
    {
        "warm-up" => "[yellow]warm-up[/]",
        "measuring" => "[green]measuring[/]",
        _ => $"[grey]{Markup.Escape(phase)}[/]",
    };

    private static IRenderable Cell(string text) => new Text(text);
}
