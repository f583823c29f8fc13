using Sandbox.Engine;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Suppliers.Yobaoxing.Cli;

/// <summary>
/// <c>dotnet run --project sim -- yobaoxing export-key --tenant demo</c> prints the .Bin content the supplier's operator
/// would hand out for a tenant (spec §2.5.1): its KEY encrypted with the export password. <c>--key/--password</c> work
/// without a tenant; <c>import-key --bin … --password …</c> runs the routine backwards.
/// </summary>
public static class ExportKeyCommand
{
    const string Usage = """
        usage: yobaoxing export-key --tenant <id> [--password <export password>] [--scenarios <folder>]
               yobaoxing export-key --key <36-char KEY> --password <export password>
               yobaoxing import-key --bin <.Bin content> --password <export password>
        The tenant's KEY and export password come from credentials.yobaoxing.key / exportPassword in tenants.yaml.
        """;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] is not ("export-key" or "import-key"))
        {
            error.WriteLine(Usage);
            return 2;
        }
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i + 1 < args.Length; i += 2)
            options[args[i].TrimStart('-')] = args[i + 1];
        try
        {
            if (args[0] == "import-key")
            {
                if (!options.TryGetValue("bin", out var bin) || !options.TryGetValue("password", out var pwd))
                {
                    error.WriteLine(Usage);
                    return 2;
                }
                var key = YobaoxingCrypto.ImportKey(bin, pwd);
                if (key is null)
                {
                    error.WriteLine("the .Bin content does not decrypt with this export password");
                    return 1;
                }
                output.WriteLine(key);
                return 0;
            }
            string? keyText = options.GetValueOrDefault("key");
            var password = options.GetValueOrDefault("password");
            if (options.TryGetValue("tenant", out var tenantId))
            {
                var folder = options.GetValueOrDefault("scenarios") ?? new SandboxOptions().ResolveScenarios();
                var tenant = TenantFile.Load(Path.Combine(folder, "tenants.yaml")).FirstOrDefault(t => t.Id == tenantId);
                if (tenant?.CredentialsFor(YobaoxingServices.Supplier) is null)
                {
                    error.WriteLine($"tenant '{tenantId}' has no yobaoxing credentials in {Path.Combine(folder, "tenants.yaml")}");
                    return 1;
                }
                keyText ??= tenant.Credential(YobaoxingServices.Supplier, "key");
                password ??= tenant.Credential(YobaoxingServices.Supplier, "exportPassword");
            }
            if (string.IsNullOrEmpty(keyText) || password is null)
            {
                error.WriteLine(Usage);
                return 2;
            }
            output.WriteLine(YobaoxingCrypto.ExportKey(keyText, password));
            return 0;
        }
        catch (ArgumentException e)
        {
            error.WriteLine(e.Message);
            return 1;
        }
    }
}
