using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Sandbox.Tests.Bpt;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Engine;

/// <summary>One sandbox whose log is captured and whose body timeout is 2 s (Kestrel's default grace is 5 s, the least it allows is over 1 s).</summary>
public sealed class RefusalHostFixture : IAsyncLifetime
{
    public CapturedLogs Logs { get; } = new();
    public SandboxHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await SandboxHost.StartAsync(configure: b =>
    {
        b.Logging.AddProvider(Logs);
        b.WebHost.ConfigureKestrel(k => k.Limits.MinRequestBodyDataRate = new MinDataRate(240, TimeSpan.FromSeconds(2)));
    });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// Requests that never reach an operation — refused by the HTTP server before routing (malformed request line or
/// headers, limits), bodies that cannot be read (broken chunking, a body that stops), paths under a supplier's prefix
/// that name nothing — are answered in the supplier's own format on every listener, with the HTTP status of the
/// refusal, and leave one warning line in the log, never a stack trace. Written byte by byte on raw sockets.
/// </summary>
public sealed class RefusalTests(RefusalHostFixture fixture) : IClassFixture<RefusalHostFixture>
{
    SandboxHost Host => fixture.Host;

    /// <summary>A supplier's door: its listener, a request target it answers, and a check of its error format.</summary>
    sealed record Door(string Listener, string Target, Action<RawHttp.Response> AssertFormat);

    static readonly Dictionary<string, Door> Doors = new()
    {
        ["techhouse"] = new("main", "/flight/booking", AssertTechHouse),
        ["yobaoxing"] = new("main", "/yobaoxing/GetProducts.aspx", AssertYobaoxing),
        ["bpt"] = new("bpt", "/alidz.do?cmd=checkclt", AssertBpt),
    };

    static string Query(string target) => target.Contains('?') ? "&" : "?";

    /// <summary>Each case: the request for a door's target, and the status Kestrel refuses it with.</summary>
    static readonly Dictionary<string, (Func<string, string> Request, int Status)> Refused = new()
    {
        ["raw non-ASCII bytes in the request line"] = (t => $"GET {t}{Query(t)}city=\u00e5\u008c\u0097\u00e4\u00ba\u00ac HTTP/1.1\r\nHost: sandbox\r\n\r\n", 400),
        ["a request line over 8 KB"] = (t => $"GET {t}{Query(t)}x={new string('a', 9000)} HTTP/1.1\r\nHost: sandbox\r\n\r\n", 414),
        ["a header block over 32 KB"] = (t => $"GET {t} HTTP/1.1\r\nHost: sandbox\r\nX-Padding: {new string('a', 40_000)}\r\n\r\n", 431),
        ["a malformed request line"] = (t => $"GET {t} HTTP/1.1 trailing\r\nHost: sandbox\r\n\r\n", 400),
        ["an invalid header line"] = (t => $"GET {t} HTTP/1.1\r\nHost: sandbox\r\nnot a header\r\n\r\n", 400),
        ["an unsupported HTTP version"] = (t => $"GET {t} HTTP/9.9\r\nHost: sandbox\r\n\r\n", 505),
        ["no Host header"] = (t => $"GET {t} HTTP/1.1\r\n\r\n", 400),
    };

    public static TheoryData<string, string> RefusedCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var supplier in Doors.Keys)
        foreach (var refusal in Refused.Keys)
            data.Add(supplier, refusal);
        return data;
    }

    [Theory]
    [MemberData(nameof(RefusedCases))]
    public async Task A_request_the_server_refuses_before_routing_is_answered_in_the_suppliers_format(string supplier, string refusal)
    {
        var door = Doors[supplier];
        var (request, status) = Refused[refusal];
        fixture.Logs.Clear();

        var response = await RawHttp.SendAsync(Host.ListenerUrl(door.Listener), RawHttp.Ascii(request(door.Target)));

        Assert.Equal(status, response.Status);
        Assert.Equal("close", response.Headers["connection"]);
        door.AssertFormat(response);
        AssertOneWarning("refused a request on listener " + door.Listener);
    }

    public static TheoryData<string> BodySuppliers => ["techhouse", "yobaoxing"];

    static string Post(string supplier) => supplier == "techhouse"
        ? "POST /flight/booking HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\n"
        : "POST /yobaoxing/POST/GetProducts.aspx HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/x-www-form-urlencoded\r\n";

    [Theory]
    [MemberData(nameof(BodySuppliers))]
    public async Task A_body_with_broken_chunking_is_a_400_in_the_suppliers_format(string supplier)
    {
        fixture.Logs.Clear();
        var response = await RawHttp.SendAsync(Host.BaseAddress.ToString(),
            RawHttp.Ascii(Post(supplier) + "Transfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n"));

        Assert.Equal(400, response.Status);
        Doors[supplier].AssertFormat(response);
        AssertOneWarning(supplier + ": refused a request whose body could not be read");
    }

    [Theory]
    [MemberData(nameof(BodySuppliers))]
    public async Task A_body_shorter_than_its_Content_Length_is_a_408_in_the_suppliers_format_when_the_body_timeout_passes(string supplier)
    {
        fixture.Logs.Clear();
        var response = await RawHttp.SendAsync(Host.BaseAddress.ToString(), RawHttp.Ascii(Post(supplier) + "Content-Length: 500\r\n\r\nuser=demo"));

        Assert.Equal(408, response.Status);
        Doors[supplier].AssertFormat(response);
        AssertOneWarning(supplier + ": refused a request whose body could not be read");
    }

    [Fact]
    public async Task On_a_kept_alive_connection_the_refused_request_is_answered_by_the_supplier_it_named()
    {
        fixture.Logs.Clear();
        var first = "POST /yobaoxing/POST/GetProducts.aspx HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 15\r\n\r\nuser=demo_agent";
        var second = "GET /flight/order?x=\u00ff HTTP/1.1\r\nHost: sandbox\r\n\r\n";

        var responses = await RawHttp.SendAllAsync(Host.BaseAddress.ToString(), RawHttp.Ascii(first + second), 2);

        Assert.Equal(200, responses[0].Status);
        Assert.Contains("<retcode>", responses[0].Text());
        Assert.Equal(400, responses[1].Status);
        AssertTechHouse(responses[1]);
        AssertOneWarning("refused a request on listener main");
    }

    [Fact]
    public async Task Pipelined_answers_stay_as_the_supplier_wrote_them_and_only_the_refused_request_is_replaced()
    {
        fixture.Logs.Clear();
        var requests = "GET /alidz.do?cmd=checkclt HTTP/1.1\r\nHost: sandbox\r\n\r\n"
                       + "POST /alidz.do?cmd=checkclt HTTP/1.1\r\nHost: sandbox\r\nContent-Length: 0\r\n\r\n"
                       + "GET /alidz.do?cmd=checkclt HTTP/1.1\r\nHost: sandbox\r\n\r\n"
                       + "GET /alidz.do?cmd=\u00ff HTTP/1.1\r\nHost: sandbox\r\n\r\n";

        var responses = await RawHttp.SendAllAsync(Host.ListenerUrl("bpt"), RawHttp.Ascii(requests), 4);

        Assert.Equal([200, 405, 200, 400], responses.Select(r => r.Status));
        // BPT's own 405 is empty, as the product's is: nothing replaces an answer the supplier wrote.
        Assert.Empty(responses[1].Body);
        Assert.Equal("text/plain", responses[1].ContentType);
        AssertBpt(responses[3]);
        AssertOneWarning("refused a request on listener bpt");
    }

    [Fact]
    public async Task Anything_on_the_BPT_port_is_BPTs_even_a_request_line_without_a_path()
    {
        fixture.Logs.Clear();
        var response = await RawHttp.SendAsync(Host.ListenerUrl("bpt"), RawHttp.Ascii("GARBAGE\r\n\r\n"));

        Assert.Equal(400, response.Status);
        AssertBpt(response);
        AssertOneWarning("refused a request on listener bpt");
    }

    [Fact]
    public async Task On_the_main_listener_a_refused_request_naming_no_supplier_keeps_the_servers_empty_answer()
    {
        fixture.Logs.Clear();
        var response = await RawHttp.SendAsync(Host.BaseAddress.ToString(), RawHttp.Ascii("GARBAGE\r\n\r\n"));

        Assert.Equal(400, response.Status);
        Assert.Empty(response.Body);
        AssertOneWarning("answered with an empty body");
    }

    [Theory]
    [InlineData("techhouse", "GET", "/flight/nowhere", 404)]
    [InlineData("techhouse", "OPTIONS", "/flight/booking", 405)]
    [InlineData("yobaoxing", "GET", "/yobaoxing/deep/er/Page.aspx", 404)]
    [InlineData("bpt", "GET", "/nowhere", 404)]
    public async Task A_path_or_method_under_a_suppliers_door_that_no_route_takes_is_answered_in_its_format(string supplier, string method, string path, int status)
    {
        var door = Doors[supplier];
        var response = await RawHttp.SendAsync(Host.ListenerUrl(door.Listener), RawHttp.Ascii($"{method} {path} HTTP/1.1\r\nHost: sandbox\r\n\r\n"));

        Assert.Equal(status, response.Status);
        door.AssertFormat(response);
    }

    [Fact]
    public async Task A_path_under_no_suppliers_door_is_a_plain_404()
    {
        var response = await RawHttp.SendAsync(Host.BaseAddress.ToString(), RawHttp.Ascii("GET /nowhere HTTP/1.1\r\nHost: sandbox\r\n\r\n"));

        Assert.Equal(404, response.Status);
        Assert.Empty(response.Body);
    }

    void AssertOneWarning(string text)
    {
        var entries = fixture.Logs.Entries;
        fixture.Logs.AssertNoStackTrace();
        var warnings = entries.Where(e => e.Level == LogLevel.Warning).ToList();
        Assert.True(warnings.Count == 1 && warnings[0].Message.Contains(text, StringComparison.OrdinalIgnoreCase),
            $"expected one warning with '{text}', got:\n" + string.Join("\n", entries.Select(e => $"{e.Level} {e.Category}: {e.Message}")));
        Assert.DoesNotContain(entries, e => e.Level > LogLevel.Warning);
    }

    static void AssertTechHouse(RawHttp.Response response)
    {
        Assert.StartsWith("application/json", response.ContentType);
        var reply = JsonNode.Parse(response.Text())!.AsObject();
        Assert.Equal(["msg", "status"], reply.Select(p => p.Key).Order());
        Assert.Equal(1004, reply["status"]!.GetValue<int>());
        Assert.Contains($"HTTP {response.Status}", reply["msg"]!.GetValue<string>());
    }

    static void AssertYobaoxing(RawHttp.Response response)
    {
        Assert.StartsWith("text/xml", response.ContentType);
        var root = XDocument.Parse(response.Text()).Root!;
        Assert.Equal("root", root.Name.LocalName);
        Assert.Equal("-1", root.Element("retcode")!.Value);
        Assert.Contains($"HTTP {response.Status}", root.Element("retmsg")!.Value);
        Assert.StartsWith("调用失败，失败原因：", root.Element("retmsg")!.Value);
    }

    static void AssertBpt(RawHttp.Response response)
    {
        Assert.Equal("text/xml; charset=GB2312", response.ContentType);
        var text = response.Text(BptClient.Gbk);
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"GB2312\"?>", text);
        var root = XElement.Parse(text[(text.IndexOf("?>", StringComparison.Ordinal) + 2)..]);
        Assert.Equal("pnrinfo", root.Name.LocalName);
        Assert.Equal("0", root.Element("code")!.Value);
        Assert.False(string.IsNullOrEmpty(root.Element("message")!.Value));
    }
}
