using Microsoft.Extensions.Logging;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.Yobaoxing;

/// <summary>
/// Every page with no parameters and with hostile values in every parameter any page reads: always a well-formed
/// reply with a retcode (or the platform's own answer), never an HTTP 5xx and never the generic "系统内部错误" that
/// an unexpected exception becomes.
/// </summary>
public sealed class RobustnessTests : IAsyncLifetime
{
    SandboxHost _host = null!;
    YobaoxingClient _client = null!;
    readonly CapturedLogs _logs = new();

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync(configure: b => b.Logging.AddProvider(_logs));
        _client = new YobaoxingClient(_host.Http);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    static readonly string[] Names =
    [
        "Order_id", "orderid", "Order_list", "Mobile", "ID", "SXRQ", "TicketDate", "TicketDate2", "SenceID", "SceneID", "SeatInfo", "money", "SmsCode",
        "Page_index", "Start_datetime", "End_datetime", "ticketcode", "activateall", "activatedate", "tickettype", "activatemode", "activatelist", "memo",
        "NumIndex", "smsModel", "total_fee", "PaybackReason", "TheaterID", "SeatAreaID", "ProductID", "YZM", "ZFDH", "NewPwd", "NewPwd2", "Email", "DWSX",
        "DWID", "responseaddr", "sendofficiallysnotify", "Paychannelid", "NotifyURL", "StartDate", "EndDate", "XCDDH", "senderid", "IDCount", "Productid",
        "servicecode", "startdate", "enddate", "timespanindex", "JYLX", "ZT", "Query_model", "TicketTypeID", "activate", "sendnotification", "NETDH",
        "STATUS", "OpType", "InvoiceTitle", "NeedInvoice",
    ];

    static readonly string[] Hostile = ["-1", "99999999999999999999999", "<x>&'\"]]>", "游宝星|^|^^", "2026-13-45", "AAAA", "|", "0"];

    [Fact]
    public async Task No_page_fails_on_missing_or_hostile_parameters()
    {
        var catalogue = (await _host.AdminGet("/suppliers"))!.AsArray().Single(s => s!["name"]!.GetValue<string>() == "yobaoxing")!;
        var pages = catalogue["operations"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()).Where(n => !n.StartsWith("Notify", StringComparison.Ordinal)).ToList();
        Assert.Equal(55, pages.Count);
        var problems = new List<string>();
        foreach (var page in pages)
        {
            Check(page, "none", await _client.Get(page));
            foreach (var value in Hostile)
            {
                var ps = Names.Select(n => (n, value)).ToArray();
                Check(page, value, await _client.Get(page, ps));
                Check(page, "post " + value, await _client.Post(page, ps));
            }
        }
        Assert.Empty(problems);

        void Check(string page, string input, YobaoxingClient.Reply reply)
        {
            if (reply.Status >= 500) problems.Add($"{page} ({input}): HTTP {reply.Status}");
            else if (reply.Text.Contains("系统内部错误", StringComparison.Ordinal)) problems.Add($"{page} ({input}): internal error");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_oversized_POST_form_is_refused_in_the_page_format_and_the_connection_keeps_working(bool chunked)
    {
        var form = "user=demo_agent&memo=" + new string('a', 6 * 1024 * 1024);
        HttpContent content = chunked
            ? new StreamContent(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(form)))
            : new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes(form));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/yobaoxing/POST/GetProducts.aspx") { Content = content };
        request.Headers.TransferEncodingChunked = chunked;
        using var response = await _host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains("<retcode>-1</retcode>", text);
        Assert.Contains("请求内容过大", text);

        // The refused body was drained: the next request on the client's connection is answered normally.
        var next = await _client.Post("GetProducts", ("user", "demo_agent"));
        Assert.True(next.Status < 500);
        Assert.DoesNotContain("请求内容过大", next.Text);
    }

    [Fact]
    public async Task A_POST_form_below_the_limit_is_read_whole()
    {
        var reply = await _client.Post("GetProducts", ("memo", new string('b', 1024 * 1024)));
        Assert.Equal(0, reply.Retcode);
    }

    /// <summary>WeChat's notify page reads an XML body, not a form: it is bounded the same way and refused in WeChat's answer.</summary>
    [Theory]
    [InlineData("/yobaoxing/WeChatNotify.aspx", 4_500_000, false)]
    [InlineData("/yobaoxing/WeChatNotify.aspx", 5_000_000, true)]
    [InlineData("/yobaoxing/POST/WeChatNotify.aspx", 4_800_000, false)]
    [InlineData("/yobaoxing/POST/WeChatNotify.aspx", 5_000_000, true)]
    public async Task An_oversized_WeChat_notification_is_refused_in_WeChats_answer_without_a_reset_or_a_stack_trace(string path, int size, bool chunked)
    {
        var xml = "<xml><attach>x</attach><memo>" + new string('a', size) + "</memo></xml>";
        var bytes = System.Text.Encoding.UTF8.GetBytes(xml);
        HttpContent content = chunked ? new StreamContent(new MemoryStream(bytes)) : new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/xml");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TransferEncodingChunked = chunked;
        using var response = await _host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[请求内容过大]]></return_msg></xml>", text);
        var next = await _host.Http.PostAsync(path, new StringContent("<xml><attach>nobody</attach></xml>"));
        Assert.Contains("没有找到对应的预订单", await next.Content.ReadAsStringAsync());
        _logs.AssertNoStackTrace();
    }

    /// <summary>A form declared multipart whose body is not: the reader's IOException is the client's mistake, not a lost connection.</summary>
    [Fact]
    public async Task A_form_that_is_not_what_its_content_type_says_is_refused_in_the_page_format()
    {
        var content = new StringContent("user=demo_agent&memo=x", System.Text.Encoding.ASCII);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");
        using var response = await _host.Http.PostAsync("/yobaoxing/POST/GetProducts.aspx", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("<retcode>-1</retcode>", text);
        _logs.AssertNoStackTrace();
    }
}
