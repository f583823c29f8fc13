using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Sandbox.Suppliers.Bpt.Protocol;
using Sandbox.Suppliers.TechHouse.Protocol;
using Sandbox.Suppliers.Top.Protocol;
using Sandbox.Suppliers.Yobaoxing.Protocol;

namespace Sandbox.Cli;

/// <summary>
/// <c>sign techhouse|bpt|yobaoxing|top</c>: prints the string a supplier signs, the signature, and the request parameters
/// ready to send — with a tenant's credentials from tenants.yaml (<c>--tenant demo</c>, the default) or given ones.
/// </summary>
public static class SignCommand
{
    static Option<string> Tenant() => new("--tenant") { Description = "tenant of tenants.yaml whose credentials sign (default demo, unless credentials are given)" };
    static Option<string> Scenarios() => new("--scenarios") { Description = "folder holding tenants.yaml (default: scenarios, searched upwards)" };

    static Argument<string[]> Parameters() => new("parameters")
    {
        Description = "request parameters as name=value (quote values with spaces or JSON)",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Command Create(CliOutput io)
    {
        var command = new Command("sign", "Print a supplier's canonical string and signature for a request (the demo tenant's credentials by default)");
        command.Subcommands.Add(TechHouse(io));
        command.Subcommands.Add(Bpt(io));
        command.Subcommands.Add(Yobaoxing(io));
        command.Subcommands.Add(Top(io));
        return command;
    }

    static Command TechHouse(CliOutput io)
    {
        var key = new Option<string>("--key") { Description = "merchant key (credentials.techhouse.key)" };
        var secret = new Option<string>("--secret") { Description = "merchant secret (credentials.techhouse.secret)" };
        var timestamp = new Option<string>("--timestamp") { Description = "the envelope's timestamp, signed as sent (default: now, Unix seconds with two decimals)" };
        var command = new Command("techhouse", "Base64(AES-256-CBC(key + \"&\" + timestamp)), secret as the AES key, zero IV, PKCS#7")
            { key, secret, timestamp, Tenant(), Scenarios() };
        command.SetAction(parse =>
        {
            if (Credentials(parse, io, "techhouse", (key, "key"), (secret, "secret")) is not { } c) return SandboxCli.Usage;
            var ts = parse.GetValue(timestamp) ?? (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).ToString("F2", CultureInfo.InvariantCulture);
            var signature = TechHouseSignature.Sign(c["key"], c["secret"], ts);
            io.Output.WriteLine($"plaintext: {c["key"]}&{ts}");
            io.Output.WriteLine($"signature: {signature}");
            io.Output.WriteLine("envelope:  " + new JsonObject { ["key"] = c["key"], ["timestamp"] = ts, ["signature"] = signature, ["version"] = "2.0.3" }.ToJsonString());
            return SandboxCli.Ok;
        });
        return command;
    }

    static Command Bpt(CliOutput io)
    {
        var key = new Option<string>("--key") { Description = "安全校验码 (credentials.bpt.key)" };
        var parameters = Parameters();
        var command = new Command("bpt", "ver=2: MD5 of the GBK bytes of the sorted name=value pairs joined by & (sign, sign_type and empty values left out) + key, lower-case hex")
            { key, Tenant(), Scenarios(), parameters };
        command.SetAction(parse =>
        {
            if (Credentials(parse, io, "bpt", (key, "key")) is not { } c) return SandboxCli.Usage;
            if (Pairs(parse.GetValue(parameters), io) is not { } pairs) return SandboxCli.Usage;
            Default(pairs, "ver", "2");
            if (c.TryGetValue("partner", out var partner)) Default(pairs, "partner", partner);
            var canonical = BptSignature.Canonical(pairs);
            var sign = BptSignature.SignGbk(pairs, c["key"]);
            io.Output.WriteLine($"canonical: {canonical}");
            io.Output.WriteLine($"signed:    {canonical}{c["key"]}");
            io.Output.WriteLine($"sign:      {sign}");
            io.Output.WriteLine($"query:     {Query([.. pairs, KeyValuePair.Create("sign", sign)])}");
            return SandboxCli.Ok;
        });
        return command;
    }

    static Command Yobaoxing(CliOutput io)
    {
        var key = new Option<string>("--key") { Description = "the 36-character KEY (credentials.yobaoxing.key)" };
        var user = new Option<string>("--user") { Description = "login user, added as 'user' (credentials.yobaoxing.user)" };
        var password = new Option<string>("--password") { Description = "login password, added as the 3DES 'password' field (credentials.yobaoxing.password)" };
        var encrypt = new Option<string[]>("--encrypt") { Description = "name=value sent 3DES-encrypted under the KEY (repeat for several)", Arity = ArgumentArity.ZeroOrMore };
        var parameters = Parameters();
        var command = new Command("yobaoxing", "sandbox sign: MD5(UTF-8(sorted lower-case name=value pairs joined by & + \"&key=\" + KEY)), upper-case hex")
            { key, user, password, encrypt, Tenant(), Scenarios(), parameters };
        command.SetAction(parse =>
        {
            if (Credentials(parse, io, "yobaoxing", (key, "key"), (user, "user"), (password, "password")) is not { } c) return SandboxCli.Usage;
            if (Pairs(parse.GetValue(parameters), io) is not { } pairs) return SandboxCli.Usage;
            if (Pairs(parse.GetValue(encrypt), io) is not { } secret) return SandboxCli.Usage;
            var k = c["key"];
            try
            {
                if (c.TryGetValue("user", out var u)) Default(pairs, "user", u);
                if (c.TryGetValue("password", out var p))
                {
                    var field = YobaoxingCrypto.PasswordField(p, k);
                    io.Output.WriteLine($"password:  {field}   (3DES of Upper(MD5(\"{p}\")) = {YobaoxingCrypto.Md5Upper(p)})");
                    Default(pairs, "password", field);
                }
                foreach (var (name, value) in secret)
                {
                    var cipher = YobaoxingCrypto.Encrypt(value, k);
                    io.Output.WriteLine($"{name}: {cipher}   (3DES of \"{value}\")");
                    pairs.RemoveAll(x => x.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
                    pairs.Add(KeyValuePair.Create(name, cipher));
                }
            }
            catch (ArgumentException e)
            {
                io.Error.WriteLine($"error: {e.Message}");
                return SandboxCli.Usage;
            }
            io.Output.WriteLine($"signed:    {YobaoxingSign.StringToSign(pairs, k)}");
            var sign = YobaoxingSign.Sign(pairs, k);
            io.Output.WriteLine($"sign:      {sign}");
            io.Output.WriteLine($"query:     {Query([.. pairs, KeyValuePair.Create("sign", sign)])}");
            return SandboxCli.Ok;
        });
        return command;
    }

    static Command Top(CliOutput io)
    {
        var appKey = new Option<string>("--app-key") { Description = "AppKey (credentials.top.appKey)" };
        var secret = new Option<string>("--secret") { Description = "AppSecret (credentials.top.appSecret)" };
        var session = new Option<string>("--session") { Description = "session key, added as 'session' (credentials.top.session)" };
        var method = new Option<string>("--sign-method") { Description = "md5 (default), hmac or hmac-sha256", DefaultValueFactory = _ => "md5" };
        method.AcceptOnlyFromAmong(TopSignature.Methods);
        var parameters = Parameters();
        var command = new Command("top", "TOP: S = sorted key+value pairs, no separators; md5: MD5(secret + S + secret), upper-case hex. " +
                                         "app_key, v=2.0, format=json, sign_method and timestamp (now, GMT+8) are added when absent")
            { appKey, secret, session, method, Tenant(), Scenarios(), parameters };
        command.SetAction(parse =>
        {
            if (Credentials(parse, io, "top", (appKey, "appKey"), (secret, "appSecret"), (session, "session")) is not { } c) return SandboxCli.Usage;
            if (Pairs(parse.GetValue(parameters), io) is not { } pairs) return SandboxCli.Usage;
            var signMethod = parse.GetValue(method)!;
            Default(pairs, "app_key", c["appKey"]);
            if (c.TryGetValue("session", out var s)) Default(pairs, "session", s);
            Default(pairs, "v", "2.0");
            Default(pairs, "format", "json");
            Default(pairs, "sign_method", signMethod);
            Default(pairs, "timestamp", TopTimestamp.Of(DateTimeOffset.UtcNow));
            var canonical = TopSignature.Canonical(pairs, TopSignature.EmptyValues.Skipped);
            var sign = TopSignature.Sign(canonical, c["appSecret"], signMethod);
            io.Output.WriteLine($"S:         {canonical}");
            io.Output.WriteLine(signMethod == "md5" ? $"signed:    {c["appSecret"]}{canonical}{c["appSecret"]}" : $"signed:    {signMethod} keyed with the secret over S");
            io.Output.WriteLine($"sign:      {sign}");
            io.Output.WriteLine($"form:      {Query([.. pairs, KeyValuePair.Create("sign", sign)])}");
            return SandboxCli.Ok;
        });
        return command;
    }

    /// <summary>
    /// The credential fields: those given as options, the rest from the tenant (demo unless named). An option-only call
    /// (every required field given) reads no file. The first field of <paramref name="fields"/> is required.
    /// </summary>
    static Dictionary<string, string>? Credentials(ParseResult parse, CliOutput io, string supplier, params (Option<string> Option, string Field)[] fields)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (option, field) in fields)
            if (parse.GetValue(option) is { } v) result[field] = v;
        var tenant = parse.GetValue<string>("--tenant");
        var required = supplier switch
        {
            "techhouse" => new[] { "key", "secret" },
            "top" => ["appKey", "appSecret"],
            _ => [fields[0].Field],
        };
        if (tenant is null && required.All(result.ContainsKey)) return result;
        if (CliTenants.Credentials(tenant ?? "demo", parse.GetValue<string>("--scenarios"), supplier, io.Error) is not { } credentials) return null;
        foreach (var (_, field) in fields)
            if (!result.ContainsKey(field) && credentials(field) is { } v) result[field] = v;
        if (supplier == "bpt" && credentials("partner") is { } partner) result["partner"] = partner;
        foreach (var field in required)
            if (!result.ContainsKey(field))
            {
                io.Error.WriteLine($"error: no {supplier} '{field}': give it as an option or through a tenant");
                return null;
            }
        return result;
    }

    static List<KeyValuePair<string, string>>? Pairs(string[]? tokens, CliOutput io)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var token in tokens ?? [])
        {
            var eq = token.IndexOf('=');
            if (eq <= 0)
            {
                io.Error.WriteLine($"error: '{token}' is not name=value");
                return null;
            }
            pairs.Add(KeyValuePair.Create(token[..eq], token[(eq + 1)..]));
        }
        return pairs;
    }

    static void Default(List<KeyValuePair<string, string>> pairs, string name, string value)
    {
        if (!pairs.Any(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase))) pairs.Add(KeyValuePair.Create(name, value));
    }

    static string Query(IEnumerable<KeyValuePair<string, string>> pairs) =>
        string.Join("&", pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
}
