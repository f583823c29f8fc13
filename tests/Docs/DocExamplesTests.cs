using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Docs;

/// <summary>The documentation stands alone and its examples work: shipped example files, .http variables, no outside paths.</summary>
public sealed partial class DocExamplesTests
{
    static IEnumerable<string> DocFiles() =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "docs"), "*.md", SearchOption.AllDirectories)
            .Append(Path.Combine(RepoPaths.Root, "README.md"))
            .Append(Path.Combine(RepoPaths.Root, "loadtests", "README.md"));

    [Fact]
    public void No_document_cites_files_a_clone_does_not_have()
    {
        foreach (var file in DocFiles())
            Assert.False(File.ReadAllText(file).Contains("shared/spec", StringComparison.Ordinal) || File.ReadAllText(file).Contains("shared/seeds", StringComparison.Ordinal),
                $"{file} cites shared/: copy what the reader needs into docs/");
    }

    [GeneratedRegex(@"-d @(\S+)")]
    private static partial Regex BodyFile();

    [Fact]
    public void Every_body_file_a_document_posts_is_shipped()
    {
        var files = DocFiles().SelectMany(f => BodyFile().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).Distinct().ToList();
        Assert.NotEmpty(files);
        foreach (var path in files)
            Assert.True(File.Exists(Path.Combine(RepoPaths.Root, path)), $"{path} is posted by the docs but not in the repository");
    }

    [Fact]
    public async Task The_admin_examples_create_the_tenant_and_the_faults()
    {
        await using var host = await SandboxHost.StartAsync();
        async Task<HttpStatusCode> Post(string path, string file)
        {
            using var content = new StringContent(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "examples", file)), Encoding.UTF8, "application/json");
            using var response = await host.Http.PostAsync("/admin/api" + path, content);
            return response.StatusCode;
        }
        Assert.Equal(HttpStatusCode.Created, await Post("/tenants", "acme-tenant.json"));
        Assert.Equal(HttpStatusCode.Created, await Post("/tenants/acme/faults", "fault-commit-timeout.json"));
        Assert.Equal(HttpStatusCode.Created, await Post("/tenants/acme/faults", "fault-search-stansted.json"));
        Assert.Equal(2, (await host.AdminGet("/tenants/acme/faults"))!.AsArray().Count);
    }

    [GeneratedRegex(@"\{\{([^}]+)\}\}")]
    private static partial Regex Reference();

    /// <summary>Every {{variable}} is defined above its use, and every {{name.response…}} names a request defined before it.</summary>
    [Theory]
    [InlineData("techhouse.http")]
    [InlineData("bpt.http")]
    [InlineData("yobaoxing.http")]
    public void Request_files_use_only_what_they_define_earlier(string name)
    {
        var defined = new HashSet<string>(StringComparer.Ordinal);
        var requests = new HashSet<string>(StringComparer.Ordinal);
        var lineNo = 0;
        foreach (var line in File.ReadAllLines(Path.Combine(RepoPaths.Root, "docs", "http", name)))
        {
            lineNo++;
            if (line.StartsWith("# @name ", StringComparison.Ordinal)) requests.Add(line[8..].Trim());
            if (line.StartsWith('#')) continue;
            foreach (Match m in Reference().Matches(line))
            {
                var reference = m.Groups[1].Value;
                var known = reference.Contains(".response.", StringComparison.Ordinal)
                    ? requests.Contains(reference[..reference.IndexOf('.')])
                    : defined.Contains(reference);
                Assert.True(known, $"{name}:{lineNo}: {{{{{reference}}}}} is not defined above");
            }
            if (line.StartsWith('@') && line.IndexOf('=') is > 1 and var eq) defined.Add(line[1..eq].Trim());
        }
        Assert.NotEmpty(defined);
    }
}
