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
    public void Compose_has_the_sim_and_postgres_services()
    {
        var services = Services();
        var names = services.Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();
        Assert.Contains("sim", names);
        Assert.Contains("postgres", names);
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

    [Fact]
    public async Task Docker_compose_validates_the_file_when_it_is_installed()
    {
        var tool = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "docker-compose")).FirstOrDefault(File.Exists);
        Assert.True(File.Exists(ComposeFile), $"{ComposeFile} is missing");
        if (tool is null) return; // Debian's docker-compose validates without an engine; .ci/run installs it.

        var psi = new ProcessStartInfo(tool, ["-f", ComposeFile, "config", "-q"])
        {
            WorkingDirectory = RepoPaths.Root, RedirectStandardError = true, RedirectStandardOutput = true,
        };
        using var process = Process.Start(psi)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "docker-compose config failed: " + stderr);
    }
}
