using System.Collections.Concurrent;
using System.Text;
using System.Web;
using System.Xml.Linq;

namespace Sandbox.LoadTests.Reliability;

/// <summary>
/// The integrator's receivers for all three suppliers on one loopback listener, acknowledging every callback the way
/// each supplier's contract wants and recording what arrived (entity, status), duplicates included.
/// </summary>
public sealed class NoticeInbox : IAsyncDisposable
{
    readonly ConcurrentDictionary<(string Supplier, string Entity, string Status), int> _received = new();
    WebApplication? _app;
    long _total;

    public Uri Url { get; private set; } = null!;
    public long Total => Interlocked.Read(ref _total);

    public static async Task<NoticeInbox> StartAsync(int port)
    {
        var inbox = new NoticeInbox();
        var (app, url) = await LocalWebApp.StartAsync(port, app =>
        {
            app.MapPost("/cb/techhouse", inbox.TechHouseAsync);
            app.MapMethods("/cb/bpt", ["GET", "POST"], inbox.BptAsync);
            app.MapMethods("/cb/ybx/{page}", ["GET", "POST"], inbox.Yobaoxing);
        });
        inbox._app = app;
        inbox.Url = url;
        return inbox;
    }

    public bool Received(string supplier, string entity, string status) => _received.ContainsKey((supplier, entity, status));

    public int Count(string supplier, string entity, string status) => _received.GetValueOrDefault((supplier, entity, status));

    void Record(string supplier, string entity, string status)
    {
        _received.AddOrUpdate((supplier, entity, status), 1, (_, n) => n + 1);
        Interlocked.Increment(ref _total);
    }

    async Task TechHouseAsync(HttpContext http)
    {
        using var doc = await System.Text.Json.JsonDocument.ParseAsync(http.Request.Body);
        var root = doc.RootElement;
        Record("techhouse", root.GetProperty("orderNo").GetString() ?? "", root.GetProperty("orderStatus").GetString() ?? "");
        await http.Response.WriteAsync("{\"status\":0,\"msg\":\"success\"}");
    }

    /// <summary>ticketnoinfo / paymentinfo as BPB's SyncTicketCall reads them: the field, then one GB2312 URL-decode.</summary>
    async Task BptAsync(HttpContext http)
    {
        var form = http.Request.Method == "GET" ? http.Request.QueryString.Value?.TrimStart('?') ?? "" : await new StreamReader(http.Request.Body, Encoding.ASCII).ReadToEndAsync();
        foreach (var pair in form.Split('&'))
        {
            var kv = pair.Split('=', 2);
            if (kv.Length != 2 || kv[0] is not ("ticketnoinfo" or "paymentinfo")) continue;
            var xml = XElement.Parse(HttpUtility.UrlDecode(HttpUtility.UrlDecode(kv[1], Encoding.ASCII), Protocol.BptClient.Gbk));
            Record("bpt:" + kv[0], xml.Element("pnrsrcid")?.Value ?? "", xml.Element("orderstatus")?.Value ?? "");
        }
        await http.Response.WriteAsync("true");
    }

    IResult Yobaoxing(HttpContext http, string page)
    {
        var q = HttpUtility.ParseQueryString(http.Request.QueryString.Value ?? "");
        Record("yobaoxing:" + page.Replace(".aspx", "", StringComparison.OrdinalIgnoreCase), q["orderid"] ?? "", q["status"] ?? "");
        return Results.Text("<root><retcode>0</retcode><retmsg></retmsg></root>", "text/xml");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
