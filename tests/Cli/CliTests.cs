using System.Security.Cryptography;
using System.Text;
using Sandbox.Cli;
using Sandbox.Suppliers.Yobaoxing.Protocol;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Cli;

/// <summary>The sim's command line: help and exit codes, serve as the default, signing, key files, scenario validation.</summary>
public sealed class CliTests : IDisposable
{
    readonly List<string[]> _served = [];
    readonly string _temp = Path.Combine(Path.GetTempPath(), "sandbox-cli-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_temp)) Directory.Delete(_temp, true);
    }

    (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = SandboxCli.RunAsync(args, output, error, (config, _) =>
        {
            _served.Add(config);
            return Task.FromResult(0);
        }).GetAwaiter().GetResult();
        return (exit, output.ToString(), error.ToString());
    }

    static string Line(string text, string label) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Single(l => l.StartsWith(label, StringComparison.Ordinal))[label.Length..].Trim();

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_lists_the_commands_and_starts_nothing(string flag)
    {
        var (exit, output, _) = Run(flag);
        Assert.Equal(0, exit);
        foreach (var command in new[] { "serve", "sign", "yobaoxing", "scenarios", "fliggybus" })
            Assert.Contains("  " + command, output);
        Assert.Empty(_served);
    }

    [Theory]
    [InlineData("sign", "--help")]
    [InlineData("sign", "top", "--help")]
    [InlineData("scenarios", "validate", "--help")]
    [InlineData("serve", "--help")]
    public void Every_command_has_help(params string[] args)
    {
        var (exit, output, _) = Run(args);
        Assert.Equal(0, exit);
        Assert.Contains("Usage:", output);
        Assert.Empty(_served);
    }

    [Fact]
    public void Without_a_command_the_server_runs_with_the_configuration_switches()
    {
        Assert.Equal(0, Run().Exit);
        Assert.Equal(0, Run("--urls", "http://127.0.0.1:9000", "--Sandbox:DataPath=/tmp/x.db", "--Sandbox:AdminToken", "t").Exit);
        Assert.Equal(0, Run("serve", "--Sandbox:Listen", "http://127.0.0.1:9001").Exit);
        Assert.Equal([[], ["--urls", "http://127.0.0.1:9000", "--Sandbox:DataPath=/tmp/x.db", "--Sandbox:AdminToken", "t"],
            ["--Sandbox:Listen", "http://127.0.0.1:9001"]], _served);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("--urls", "http://127.0.0.1:9000", "extra")]
    [InlineData("sgin", "techhouse")]
    public void An_unknown_command_is_an_error_and_starts_nothing(params string[] args)
    {
        var (exit, _, error) = Run(args);
        Assert.Equal(SandboxCli.Usage, exit);
        Assert.Contains("is not a command", error);
        Assert.Empty(_served);
    }

    [Theory]
    [InlineData("sign")]
    [InlineData("sign", "expedia")]
    [InlineData("sign", "top", "--sign-method", "sha1")]
    [InlineData("sign", "bpt", "not-a-pair")]
    [InlineData("yobaoxing", "import-key", "--password", "x")]
    [InlineData("scenarios", "validate", "a", "b")]
    public void Bad_arguments_exit_2(params string[] args)
    {
        var (exit, _, error) = Run(args);
        Assert.Equal(SandboxCli.Usage, exit);
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Sign_techhouse_reproduces_the_documents_sample_with_the_demo_tenant()
    {
        var (exit, output, _) = Run("sign", "techhouse", "--timestamp", "1500375695.65", "--scenarios", RepoPaths.Scenarios);
        Assert.Equal(0, exit);
        Assert.Equal("ctPJAIdxUA3ptaWC&1500375695.65", Line(output, "plaintext:"));
        Assert.Equal("15hhHQ8C6F9OxD/BNyztUPUJyiRlGPRafEkcI6q2E5Y=", Line(output, "signature:"));
    }

    [Fact]
    public void Sign_top_reproduces_the_readme_request()
    {
        var (exit, output, _) = Run("sign", "top", "--scenarios", RepoPaths.Scenarios, "method=alitrip.flight.service.search", "timestamp=2024-01-01 12:00:00",
            """search_flight_info_req={"search_od_info_list":[{"dep_city_code":"BJS","arr_city_code":"SHA","dep_date":"2024-01-15"}]}""");
        Assert.Equal(0, exit);
        Assert.Equal("C8B90BCABE1580455621C2C5CBDEFA9C", Line(output, "sign:"));
        Assert.Contains("app_key=12345678", Line(output, "form:"));
    }

    [Fact]
    public void Sign_bpt_is_md5_of_the_gbk_canonical_string_and_the_key()
    {
        var (exit, output, _) = Run("sign", "bpt", "--scenarios", RepoPaths.Scenarios, "cmd=input", "pnr=MT2GB2", "b2buser=SCH640", "callbackurl=");
        Assert.Equal(0, exit);
        var canonical = Line(output, "canonical:");
        Assert.Equal("b2buser=SCH640&cmd=input&partner=2088000000000000&pnr=MT2GB2&ver=2", canonical);
        var gbk = CodePagesEncodingProvider.Instance.GetEncoding(936)!;
        var expected = Convert.ToHexStringLower(MD5.HashData(gbk.GetBytes(canonical + "sbxkey0123456789abcdefghijklmnop")));
        Assert.Equal(expected, Line(output, "sign:"));
        Assert.EndsWith("&sign=" + expected, Line(output, "query:"));
    }

    [Fact]
    public void Sign_yobaoxing_adds_the_login_fields_encrypts_on_request_and_signs()
    {
        const string key = "6F2C1A9E-4B7D-4E21-9C3A-5D8E7F0B1A24";
        var (exit, output, _) = Run("sign", "yobaoxing", "--scenarios", RepoPaths.Scenarios, "--encrypt", "mobile=13800000001", "orderid=20240101120000123456");
        Assert.Equal(0, exit);
        var password = Line(output, "password:").Split(' ')[0];
        Assert.Equal(Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes("demo123456"))), YobaoxingCrypto.Decrypt(password, key));
        var mobile = Line(output, "mobile:").Split(' ')[0];
        Assert.Equal("13800000001", YobaoxingCrypto.Decrypt(mobile, key));
        var signed = Line(output, "signed:");
        Assert.Equal($"mobile={mobile}&orderid=20240101120000123456&password={password}&user=demo_agent&key={key}", signed);
        Assert.Equal(Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(signed))), Line(output, "sign:"));
    }

    [Fact]
    public void Yobaoxing_export_key_prints_the_demo_tenants_bin_and_import_key_reverses_it()
    {
        var (exit, output, _) = Run("yobaoxing", "export-key", "--tenant", "demo", "--scenarios", RepoPaths.Scenarios);
        Assert.Equal(0, exit);
        Assert.Equal("JTGqHZkOGH55+lqxYr/TipiKFxdtkPaoXnjh1sFuY82qhQCJLiMmZw==", output.Trim());
        var back = Run("yobaoxing", "import-key", "--bin", output.Trim(), "--password", "ybx2024");
        Assert.Equal((0, "6F2C1A9E-4B7D-4E21-9C3A-5D8E7F0B1A24"), (back.Exit, back.Out.Trim()));
        Assert.Equal(SandboxCli.Failed, Run("yobaoxing", "import-key", "--bin", output.Trim(), "--password", "wrong").Exit);
        Assert.Equal(SandboxCli.Failed, Run("yobaoxing", "export-key", "--tenant", "nobody", "--scenarios", RepoPaths.Scenarios).Exit);
    }

    string CopyScenarios()
    {
        var folder = Path.Combine(_temp, "scenarios");
        SandboxHost.CopyShippedScenarios(RepoPaths.Scenarios, folder);
        return folder;
    }

    [Fact]
    public void Scenarios_validate_accepts_the_shipped_sets()
    {
        var (exit, output, error) = Run("scenarios", "validate", CopyScenarios());
        Assert.True(exit == 0, error);
        Assert.Contains("techhouse/default", output);
        Assert.Contains("0 errors", output);
    }

    [Fact]
    public void Scenarios_validate_fails_with_file_line_and_reason_on_a_rejected_file()
    {
        var folder = CopyScenarios();
        File.WriteAllText(Path.Combine(folder, "techhouse", "qa.yaml"), "supplier: techhouse\nrules:\n  - when: {operation: Comit}\n    fault: reset\n");
        var (exit, _, error) = Run("scenarios", "validate", folder);
        Assert.Equal(SandboxCli.Failed, exit);
        Assert.Contains($"{Path.Combine("scenarios", "techhouse", "qa.yaml")}:3:", error);
        Assert.Contains("'Comit' is not an operation of techhouse", error);
    }

    [Fact]
    public void Scenarios_validate_warns_on_a_field_that_never_matches_and_strict_makes_it_fail()
    {
        var folder = CopyScenarios();
        File.WriteAllText(Path.Combine(folder, "techhouse", "qa.yaml"), "supplier: techhouse\nrules:\n  - when: {operation: LowFareSearch, fromCtiy: STN}\n    fault: timeout\n");
        var (exit, _, error) = Run("scenarios", "validate", folder);
        Assert.Equal(0, exit);
        Assert.Contains("qa.yaml:3:", error);
        Assert.Contains("warning: 'fromCtiy' is not a field of LowFareSearch", error);
        Assert.Equal(SandboxCli.Failed, Run("scenarios", "validate", folder, "--strict").Exit);
    }

    [Fact]
    public void Scenarios_validate_fails_without_a_default_set()
    {
        var folder = CopyScenarios();
        File.Delete(Path.Combine(folder, "bpt", "default.yaml"));
        File.Delete(Path.Combine(folder, "bpt", "instant.yaml"));
        var (exit, _, error) = Run("scenarios", "validate", folder);
        Assert.Equal(SandboxCli.Failed, exit);
        Assert.Contains("bpt/default.yaml", error);
    }

    [Fact]
    public void A_command_with_its_own_parser_gets_its_arguments_untouched()
    {
        var (exit, _, error) = Run("fliggybus", "conformance", "--url", "not a url", "--app-key", "k", "--secret", "s");
        Assert.Equal(2, exit);
        Assert.Contains("--url 'not a url' is not an absolute http(s) URL", error);
    }
}
