using System.CommandLine;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Cli;

/// <summary>
/// <c>yobaoxing export-key</c> prints the .Bin content the supplier's operator would hand out for a tenant (spec §2.5.1):
/// its KEY encrypted with the export password; <c>import-key</c> runs the routine backwards.
/// </summary>
public static class YobaoxingCommand
{
    public static Command Create(CliOutput io)
    {
        var command = new Command("yobaoxing", "游宝星 key files (.Bin)");
        command.Subcommands.Add(Export(io));
        command.Subcommands.Add(Import(io));
        return command;
    }

    static Command Export(CliOutput io)
    {
        var tenant = new Option<string>("--tenant") { Description = "tenant of tenants.yaml: its credentials.yobaoxing.key and exportPassword" };
        var key = new Option<string>("--key") { Description = "the 36-character KEY (instead of a tenant's)" };
        var password = new Option<string>("--password") { Description = "the export password (instead of the tenant's exportPassword)" };
        var scenarios = new Option<string>("--scenarios") { Description = "folder holding tenants.yaml (default: scenarios, searched upwards)" };
        var command = new Command("export-key", "Print the .Bin content of a KEY: --tenant <id>, or --key <KEY> --password <export password>")
            { tenant, key, password, scenarios };
        command.SetAction(parse =>
        {
            var keyText = parse.GetValue(key);
            var exportPassword = parse.GetValue(password);
            if (parse.GetValue(tenant) is { } id)
            {
                if (CliTenants.Credentials(id, parse.GetValue(scenarios), "yobaoxing", io.Error) is not { } credentials) return SandboxCli.Failed;
                keyText ??= credentials("key");
                exportPassword ??= credentials("exportPassword");
            }
            if (string.IsNullOrEmpty(keyText) || exportPassword is null)
            {
                io.Error.WriteLine("error: give --tenant, or --key and --password");
                return SandboxCli.Usage;
            }
            try
            {
                io.Output.WriteLine(YobaoxingCrypto.ExportKey(keyText, exportPassword));
                return SandboxCli.Ok;
            }
            catch (ArgumentException e)
            {
                io.Error.WriteLine($"error: {e.Message}");
                return SandboxCli.Failed;
            }
        });
        return command;
    }

    static Command Import(CliOutput io)
    {
        var bin = new Option<string>("--bin") { Description = "the .Bin content (Base64)", Required = true };
        var password = new Option<string>("--password") { Description = "the export password", Required = true };
        var command = new Command("import-key", "Print the KEY a .Bin content holds") { bin, password };
        command.SetAction(parse =>
        {
            try
            {
                if (YobaoxingCrypto.ImportKey(parse.GetValue(bin)!, parse.GetValue(password)!) is not { } key)
                {
                    io.Error.WriteLine("error: the .Bin content does not decrypt with this export password");
                    return SandboxCli.Failed;
                }
                io.Output.WriteLine(key);
                return SandboxCli.Ok;
            }
            catch (ArgumentException e)
            {
                io.Error.WriteLine($"error: {e.Message}");
                return SandboxCli.Failed;
            }
        });
        return command;
    }
}
