using Sandbox.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Sandbox.Tests;

/// <summary>The image is built from sources only and runs unprivileged; the compose file has no obsolete keys.</summary>
public class DockerImageTests
{
    [Fact]
    public void The_build_context_leaves_out_host_build_output_and_stores()
    {
        var path = Path.Combine(RepoPaths.Root, ".dockerignore");
        Assert.True(File.Exists(path), ".dockerignore is missing: COPY sim/ would take the host's bin/, obj/ and data/*.db");
        var lines = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        foreach (var pattern in new[] { "**/bin/", "**/obj/", "**/data/", "**/*.db" })
            Assert.Contains(pattern, lines);
    }

    [Fact]
    public void The_image_runs_as_a_user_that_is_not_root()
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Root, "Dockerfile")).Select(l => l.Trim()).ToList();
        var finalStage = lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal));
        var user = lines.Skip(finalStage).LastOrDefault(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.NotNull(user);
        Assert.DoesNotContain(user![5..].Trim(), new[] { "root", "0", "0:0" });
        var entry = lines.FindIndex(finalStage, l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal));
        Assert.True(lines.IndexOf(user) < entry, "USER must come before the ENTRYPOINT");
    }

    [Fact]
    public void The_compose_file_has_no_obsolete_version_key()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(RepoPaths.Root, "docker-compose.yml"))));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        Assert.False(root.Children.ContainsKey(new YamlScalarNode("version")), "'version:' is obsolete in the Compose specification");
    }
}
