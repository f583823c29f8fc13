using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Sandbox.StoreBench;

internal static class Program
{
    const string Usage = """
        usage: dotnet run -c Release --project loadtests/StoreBench -- <command> [options]
          run           [--stores sqlite,litedb] [--callers 1,16,256] [--orders 100000] [--limit 60] [--rounds 20]
                        [--dir loadtests/StoreBench/runs] [--report FILE]
                        every store at every caller count (a child process each, under strace when it is installed, to
                        count fsyncs), then the kill -9 rounds; prints a Markdown report
          throughput    --store S --callers N [--orders 100000] [--limit 60] --dir D    one configuration; prints one JSON line
          crash-writer  --store S --dir D                                               commits until killed; prints each acknowledged order
        """;

    static async Task<int> Main(string[] args)
    {
        try
        {
            var options = Options.Parse(args);
            switch (options.Command)
            {
                case "run":
                    return Bench.Run(options);
                case "throughput":
                    var result = await Throughput.RunAsync(StoreKinds.Parse(options.Required("store")), Folder(options.Required("dir")),
                        options.Int("callers", 16), options.Int("orders", 100_000), TimeSpan.FromSeconds(options.Int("limit", 60)));
                    Console.WriteLine(JsonSerializer.Serialize(result, BenchJson.Default.ThroughputResult));
                    return 0;
                case "crash-writer":
                    await CrashTest.WriteUntilKilledAsync(StoreKinds.Parse(options.Required("store")), Folder(options.Required("dir")));
                    return 0;
                default:
                    throw new ArgumentException($"unknown command '{options.Command}'");
            }
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }

    static string Folder(string path)
    {
        Directory.CreateDirectory(path);
        return path;
    }
}

/// <summary><c>command --name value …</c>.</summary>
internal sealed class Options
{
    readonly Dictionary<string, string> _values;

    Options(string command, Dictionary<string, string> values)
    {
        Command = command;
        _values = values;
    }

    public string Command { get; }

    public static Options Parse(string[] args)
    {
        if (args.Length == 0) throw new ArgumentException("missing command");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 == args.Length)
                throw new ArgumentException($"expected --name value, not '{args[i]}'");
            values[args[i][2..]] = args[i + 1];
        }
        return new Options(args[0], values);
    }

    public string? String(string name) => _values.GetValueOrDefault(name);

    public string Required(string name) => String(name) ?? throw new ArgumentException($"--{name} is required");

    public int Int(string name, int fallback) =>
        String(name) is not { } text ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw new ArgumentException($"--{name} must be a positive whole number, not '{text}'");

    public string[] List(string name, string fallback) =>
        (String(name) ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
