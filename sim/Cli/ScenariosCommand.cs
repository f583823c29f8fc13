using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Sandbox.Engine;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Tenants;
using Sandbox.Engine.Yaml;

namespace Sandbox.Cli;

/// <summary>
/// <c>scenarios validate [folder]</c>: loads a scenario folder with the server's own loader and modules — exactly what a
/// start or <c>POST /admin/api/scenarios/reload</c> would accept — and exits 1 on an error (or, with <c>--strict</c>, a
/// warning), for CI. <c>scenarios schema</c> prints the JSON Schema editors use.
/// </summary>
public static class ScenariosCommand
{
    public static Command Create(CliOutput io)
    {
        var command = new Command("scenarios", "Scenario files: validate a folder, print the JSON Schema");
        command.Subcommands.Add(Validate(io));
        command.Subcommands.Add(Schema(io));
        return command;
    }

    static Command Validate(CliOutput io)
    {
        var folder = new Argument<string>("folder") { Description = "the scenario folder (default: scenarios, searched upwards)", Arity = ArgumentArity.ZeroOrOne };
        var strict = new Option<bool>("--strict") { Description = "warnings (conditions that can never match) fail too" };
        var command = new Command("validate", "Validate every set of a scenario folder and its tenants.yaml as the server loads them; exit 1 when one is rejected")
            { folder, strict };
        command.SetAction(parse =>
        {
            var root = Path.GetFullPath(parse.GetValue(folder) ?? new SandboxOptions().ResolveScenarios());
            if (!Directory.Exists(root))
            {
                io.Error.WriteLine($"error: no folder {root}");
                return SandboxCli.Usage;
            }
            return Run(root, parse.GetValue(strict), io);
        });
        return command;
    }

    static Command Schema(CliOutput io)
    {
        var command = new Command("schema", "Print the JSON Schema of scenario files (the repository's scenarios/scenario.schema.json)");
        command.SetAction(_ =>
        {
            using var modules = Modules.Open(new SandboxOptions().ResolveScenarios());
            io.Output.Write(ScenarioSchema.ToText(ScenarioSchema.Build(modules.All)));
            return SandboxCli.Ok;
        });
        return command;
    }

    static int Run(string root, bool strict, CliOutput io)
    {
        using var modules = Modules.Open(root);
        var catalog = new ScenarioCatalog(root);
        foreach (var m in modules.All) catalog.Register(m);
        var report = catalog.Reload();
        var errors = report.Errors.Select(e => $"{e.File}:{e.Line}:{e.Column}: error: {e.Reason}").ToList();
        foreach (var m in modules.All)
            if (catalog.Find(m.Supplier, "default") is null && !report.Errors.Any(e => e.File.Contains($"{m.Supplier}/default.yaml", StringComparison.Ordinal)))
                errors.Add($"{m.Supplier}/default.yaml: error: missing: the server does not start without a default set");
        try
        {
            TenantFile.Load(Path.Combine(root, "tenants.yaml"));
        }
        catch (YamlLoadException e)
        {
            errors.Add($"{e.File}:{e.Line}:{e.Column}: error: {e.Reason}");
        }
        foreach (var e in errors) io.Error.WriteLine(e);
        foreach (var w in report.Warnings) io.Error.WriteLine($"{w.File}:{w.Line}:{w.Column}: warning: {w.Reason}");
        io.Output.WriteLine($"{root}: {report.Loaded.Count} sets loaded ({string.Join(", ", report.Loaded)}), {errors.Count} errors, {report.Warnings.Count} warnings");
        return errors.Count > 0 || (strict && report.Warnings.Count > 0) ? SandboxCli.Failed : SandboxCli.Ok;
    }

    /// <summary>
    /// The server's supplier modules, built as the server builds them (on a throw-away store: nothing is served or kept),
    /// so that validation uses their vocabularies and catalogue checks rather than a copy of them.
    /// </summary>
    sealed class Modules : IDisposable
    {
        readonly WebApplication _app;
        readonly string _data;
        public IReadOnlyList<ISupplierModule> All { get; }

        Modules(WebApplication app, string data)
        {
            _app = app;
            _data = data;
            All = app.Services.GetServices<ISupplierModule>().ToList();
        }

        public static Modules Open(string scenarios)
        {
            var data = Path.Combine(Path.GetTempPath(), "sandbox-validate-" + Guid.NewGuid().ToString("N"));
            var app = SandboxApp.Build(
            [
                "--Sandbox:DataPath", Path.Combine(data, "sandbox.db"), "--Sandbox:ScenariosPath", scenarios,
                "--Sandbox:Journal:Enabled", "false", "--Logging:LogLevel:Default", "None",
            ]);
            return new Modules(app, data);
        }

        public void Dispose()
        {
            ((IDisposable)_app).Dispose();
            try { Directory.Delete(_data, true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
