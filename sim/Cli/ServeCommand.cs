using System.CommandLine;
using Sandbox.Engine;

namespace Sandbox.Cli;

/// <summary>
/// <c>serve</c>, also what runs without a command: the server, configured by <c>appsettings.json</c>, the environment and
/// ASP.NET configuration switches on the command line (<c>--Sandbox:Listen http://127.0.0.1:9000</c>, <c>--urls …</c>).
/// A word that is no command and no switch's value is refused instead of being ignored by a server that starts anyway.
/// </summary>
public static class ServeCommand
{
    public static Command Create(CliOutput io)
    {
        var command = new Command("serve", """
            Run the sandbox (the default command). Configuration switches are passed to the server as ASP.NET configuration:
              --Sandbox:Listen <url>                main listener (default http://127.0.0.1:8080), or --urls <url;url>
              --Sandbox:Listeners:bpt <url>         the 本票通 listener (default http://127.0.0.1:6350)
              --Sandbox:DataPath <file>             SQLite store (default data/sandbox.db)
              --Sandbox:ScenariosPath <folder>      scenario folder (default scenarios, searched upwards)
              --Sandbox:AdminToken <token>          bearer token for /admin/api (required beyond loopback)
            Any other key of appsettings.json works the same way (--Section:Key value or --Section:Key=value).
            """)
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction((parse, ct) => Run(parse, io, ct));
        return command;
    }

    public static Task<int> Run(ParseResult parse, CliOutput io, CancellationToken ct)
    {
        var tokens = parse.UnmatchedTokens.ToArray();
        if (StrayWord(tokens) is { } word)
        {
            io.Error.WriteLine($"error: '{word}' is not a command. Commands: serve, sign, yobaoxing, scenarios, fliggybus; configuration switches start with --.");
            io.Error.WriteLine("Run 'sim --help' for usage.");
            return Task.FromResult(SandboxCli.Usage);
        }
        return io.Serve(tokens, ct);
    }

    /// <summary>The first token that is neither a switch (<c>--key</c>, <c>--key=value</c>, <c>/key</c>) nor the value after one.</summary>
    static string? StrayWord(IReadOnlyList<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            var isSwitch = t.StartsWith("--", StringComparison.Ordinal) || (t.Length > 1 && t[0] == '/' && t.IndexOf('/', 1) < 0);
            if (!isSwitch) return t;
            if (!t.Contains('=', StringComparison.Ordinal) && i + 1 < tokens.Count && !tokens[i + 1].StartsWith("--", StringComparison.Ordinal)) i++;
        }
        return null;
    }

    /// <summary>Builds, starts and runs the server until it is stopped (Ctrl+C, SIGTERM).</summary>
    public static async Task<int> ServeAsync(string[] configuration, CancellationToken ct)
    {
        var app = SandboxApp.Build(configuration);
        await app.StartSandboxAsync();
        await app.RunAsync();
        return SandboxCli.Ok;
    }
}
