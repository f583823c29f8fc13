using System.CommandLine;
using Sandbox.Suppliers.FliggyBus.Cli;

namespace Sandbox.Cli;

/// <summary>
/// The sim binary's command line: <c>serve</c> (the default), <c>sign</c>, <c>yobaoxing</c>, <c>scenarios</c>, and the
/// commands that parse their own arguments (<c>fliggybus</c>). Every command is registered in <see cref="Commands"/>
/// and <see cref="OwnParsers"/>: adding one is one line there. Exit codes: 0 success, 1 the command's work failed
/// (invalid scenarios, a key that does not decrypt), 2 the command line itself is wrong.
/// </summary>
public static class SandboxCli
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    /// <summary>Commands with a parser of their own, entered as <c>Run(arguments after the name, output, error)</c>.</summary>
    static readonly IReadOnlyList<(string Name, string Description, Func<string[], TextWriter, TextWriter, int> Run)> OwnParsers =
    [
        ("fliggybus", "Fliggy custom bus: 'fliggybus conformance --url <operator Qimen URL> --app-key … --secret …' checks an operator's endpoint",
            ConformanceCommand.Run),
    ];

    static IEnumerable<Command> Commands(CliOutput io) =>
    [
        ServeCommand.Create(io),
        SignCommand.Create(io),
        YobaoxingCommand.Create(io),
        ScenariosCommand.Create(io),
        .. OwnParsers.Select(p => OwnParserCommand(p.Name, p.Description, p.Run, io)),
    ];

    /// <param name="serve">Starts the server with configuration arguments; tests replace it so that nothing binds a port.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Func<string[], CancellationToken, Task<int>>? serve = null)
    {
        if (args.Length > 0 && OwnParsers.FirstOrDefault(p => p.Name == args[0]) is { Run: { } run })
            return run(args[1..], output, error);
        var io = new CliOutput(output, error, serve ?? ServeCommand.ServeAsync);
        var root = new RootCommand("Travel Supplier Sandbox: one server standing in for TechHouse, 本票通 (BPT), 游宝星 (Yobaoxing), " +
                                   "Fliggy flights on TOP, TMC and the Fliggy custom bus. Without a command it serves (see 'serve --help').")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        foreach (var command in Commands(io)) root.Subcommands.Add(command);
        root.SetAction((parse, ct) => ServeCommand.Run(parse, io, ct));
        var result = root.Parse(args);
        if (result.Errors.Count > 0 && result.Action is not { ClearsParseErrors: true })
        {
            foreach (var e in result.Errors) error.WriteLine($"error: {e.Message}");
            error.WriteLine($"Run '{CommandPath(result)} --help' for usage.");
            return Usage;
        }
        // Kestrel and the host own Ctrl+C: the parser must not end the process under them.
        return await result.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null });
    }

    static string CommandPath(ParseResult result)
    {
        var names = new List<string>();
        for (var c = result.CommandResult; c is not null; c = c.Parent as System.CommandLine.Parsing.CommandResult)
            if (c.Command is not RootCommand) names.Insert(0, c.Command.Name);
        return string.Join(' ', ["sim", .. names]);
    }

    /// <summary>Listed in the help like the others; the arguments go to the command's own parser untouched.</summary>
    static Command OwnParserCommand(string name, string description, Func<string[], TextWriter, TextWriter, int> run, CliOutput io)
    {
        var command = new Command(name, description) { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(parse => run([.. parse.UnmatchedTokens], io.Output, io.Error));
        return command;
    }
}

/// <summary>Where commands write, and how the server is started.</summary>
public sealed record CliOutput(TextWriter Output, TextWriter Error, Func<string[], CancellationToken, Task<int>> Serve);
