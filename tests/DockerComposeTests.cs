using System.Diagnostics;
using Sandbox.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Sandbox.Tests;

/// <summary>The repository's docker-compose.yml and Dockerfile: services, build and ports; validated by docker-compose when it is installed.</summary>
public class DockerComposeTests
{
    static string ComposeFile => Path.Combine(RepoPaths.Root, "docker-compose.yml");

    static YamlMappingNode Services()
    {
        Assert.True(File.Exists(ComposeFile), $"{ComposeFile} is missing");
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(ComposeFile)));
        return (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["services"];
    }

    [Fact]
    public void The_Dockerfile_exists()
    {
        var dockerfile = Path.Combine(RepoPaths.Root, "Dockerfile");
        Assert.True(File.Exists(dockerfile), $"{dockerfile} is missing");
        Assert.Contains("FROM", File.ReadAllText(dockerfile));
    }

    [Fact]
    public void Compose_runs_the_sim_with_a_mandatory_admin_token_and_a_data_volume()
    {
        var sim = (YamlMappingNode)Services()["sim"];
        var env = (YamlMappingNode)sim["environment"];
        // The container binds beyond loopback, which the sim refuses without an admin token.
        Assert.Contains(":?", ((YamlScalarNode)env["Sandbox__AdminToken"]).Value);
        var volumes = ((YamlSequenceNode)sim["volumes"]).Children.Select(v => ((YamlScalarNode)v).Value!).ToList();
        Assert.Contains(volumes, v => v.EndsWith(":/srv/data"));
    }

    [Fact]
    public void The_sim_service_builds_from_the_Dockerfile_and_publishes_8080_and_6350()
    {
        var sim = (YamlMappingNode)Services()["sim"];
        var build = sim["build"];
        var dockerfile = build is YamlMappingNode b && b.Children.TryGetValue(new YamlScalarNode("dockerfile"), out var df)
            ? ((YamlScalarNode)df).Value
            : "Dockerfile";
        Assert.Equal("Dockerfile", Path.GetFileName(dockerfile));
        var context = build is YamlScalarNode s ? s.Value : build is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("context"), out var c) ? ((YamlScalarNode)c).Value : ".";
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, context ?? ".", dockerfile!)), "the sim build context has no " + dockerfile);

        var ports = ((YamlSequenceNode)sim["ports"]).Children.Select(p => p is YamlScalarNode ps ? ps.Value! : ((YamlScalarNode)((YamlMappingNode)p)["target"]).Value!).ToList();
        Assert.Contains(ports, p => p.Split(':').Last().Split('/')[0] == "8080");
        Assert.Contains(ports, p => p.Split(':').Last().Split('/')[0] == "6350");
    }

    /// <summary>A service with its <c>&lt;&lt;: *anchor</c> merges applied (YamlDotNet resolves aliases, not merge keys).</summary>
    static YamlMappingNode Merged(YamlMappingNode node)
    {
        var result = new YamlMappingNode();
        if (node.Children.TryGetValue(new YamlScalarNode("<<"), out var merge) && merge is YamlMappingNode baseNode)
            foreach (var (k, v) in Merged(baseNode).Children) result.Children[k] = v;
        foreach (var (k, v) in node.Children)
        {
            if (k is YamlScalarNode { Value: "<<" }) continue;
            result.Children[k] = v is YamlMappingNode m && result.Children.TryGetValue(k, out var inherited) && inherited is YamlMappingNode im
                ? Merged(new YamlMappingNode(im.Children.Concat(m.Children).GroupBy(p => p.Key).Select(g => g.Last())))
                : v is YamlMappingNode mm ? Merged(mm) : v;
        }
        return result;
    }

    static string? Scalar(YamlMappingNode m, string key) =>
        m.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;

    [Fact]
    public void The_scale_out_profile_runs_PostgreSQL_two_replicas_and_a_proxy_all_with_health_checks()
    {
        var services = Services().Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => Merged((YamlMappingNode)p.Value));
        bool InProfile(YamlMappingNode s) => s.Children.TryGetValue(new YamlScalarNode("profiles"), out var p)
                                             && ((YamlSequenceNode)p).Children.Any(x => ((YamlScalarNode)x).Value == "scale-out");
        // The embedded sim stays what plain `docker-compose up` starts.
        Assert.False(InProfile(services["sim"]));

        var postgres = Assert.Single(services, s => Scalar(s.Value, "image")?.StartsWith("postgres") == true).Value;
        Assert.True(InProfile(postgres));
        Assert.True(postgres.Children.ContainsKey(new YamlScalarNode("healthcheck")));

        var replicas = services.Where(s => s.Value.Children.TryGetValue(new YamlScalarNode("environment"), out var env)
                                           && Scalar((YamlMappingNode)env, "Sandbox__Store") == "postgres").ToList();
        Assert.Equal(2, replicas.Count);
        foreach (var (_, r) in replicas)
        {
            Assert.True(InProfile(r));
            Assert.True(r.Children.ContainsKey(new YamlScalarNode("healthcheck")));
            var env = (YamlMappingNode)r["environment"];
            Assert.Contains("Host=postgres", Scalar(env, "Sandbox__ConnectionStrings__Postgres"));
            Assert.Contains(":?", Scalar(env, "Sandbox__AdminToken"));
        }
        Assert.Equal(2, replicas.Select(r => Scalar((YamlMappingNode)r.Value["environment"], "Sandbox__ReplicaId")).Distinct().Count());

        var proxy = services["proxy"];
        Assert.True(InProfile(proxy));
        Assert.True(proxy.Children.ContainsKey(new YamlScalarNode("healthcheck")));
        var dependsOn = (YamlMappingNode)proxy["depends_on"];
        foreach (var (name, _) in replicas)
            Assert.Equal("service_healthy", Scalar((YamlMappingNode)dependsOn[name], "condition"));
        var mount = ((YamlSequenceNode)proxy["volumes"]).Children.Select(v => ((YamlScalarNode)v).Value!).Single(v => v.Contains("nginx.conf"));
        var conf = File.ReadAllText(Path.Combine(RepoPaths.Root, mount.Split(':')[0]));
        foreach (var (name, _) in replicas)
        {
            Assert.Contains($"server {name}:8080", conf);
            Assert.Contains($"server {name}:6350", conf);
        }
        Assert.Contains("Upgrade $http_upgrade", conf);
    }

    [SkippableFact]
    public async Task Docker_compose_validates_the_file_when_it_is_installed()
    {
        var tool = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "docker-compose")).FirstOrDefault(File.Exists);
        Assert.True(File.Exists(ComposeFile), $"{ComposeFile} is missing");
        // Debian's docker-compose validates without an engine; .ci/run installs it.
        Skip.If(tool is null, "docker-compose is not installed (apt-get install docker-compose): the compose file was not validated");

        var (ok, stderr) = await Config(tool, "test-token");
        Assert.True(ok, "docker-compose config failed: " + stderr);
        var (scaleOut, scaleOutErr) = await Config(tool, "test-token", "--profile", "scale-out");
        Assert.True(scaleOut, "docker-compose --profile scale-out config failed: " + scaleOutErr);
        var (withoutToken, reason) = await Config(tool, null);
        Assert.False(withoutToken, "docker-compose accepted the file without SANDBOX_ADMIN_TOKEN");
        Assert.Contains("SANDBOX_ADMIN_TOKEN", reason);
    }

    static async Task<(bool Ok, string Stderr)> Config(string tool, string? token, params string[] options)
    {
        var psi = new ProcessStartInfo(tool, ["-f", ComposeFile, .. options, "config", "-q"])
        {
            WorkingDirectory = RepoPaths.Root, RedirectStandardError = true, RedirectStandardOutput = true,
        };
        psi.Environment.Remove("SANDBOX_ADMIN_TOKEN");
        if (token is not null) psi.Environment["SANDBOX_ADMIN_TOKEN"] = token;
        using var process = Process.Start(psi)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode == 0, stderr);
    }
}
