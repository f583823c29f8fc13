using System.Globalization;
using System.Text;

namespace Sandbox.LoadTests.Protocol;

/// <summary>Credentials of the throw-away BPT tenant: its PID and the B2B login its requests carry (which routes them to it).</summary>
public sealed record BptCredentials(string Partner, string B2bUser, string B2bPassword);

/// <summary>A parsed BPT reply: the GBK text and its top-level scalar elements.</summary>
public sealed record BptReply(string Text)
{
    /// <summary>The text of the first &lt;name&gt; element, or null.</summary>
    public string? this[string name]
    {
        get
        {
            var open = "<" + name + ">";
            var start = Text.IndexOf(open, StringComparison.Ordinal);
            if (start < 0)
            {
                return null;
            }

            start += open.Length;
            var end = Text.IndexOf("</" + name + ">", start, StringComparison.Ordinal);
            return end < 0 ? null : Text[start..end];
        }
    }

    public bool Ok => this["code"] == "1";

    public string Error => this["message"] ?? this["errorinfo"] ?? Text;
}

/// <summary>
/// A ticketing agent's client for the BPT server edition, as BPB writes it: GET /alidz.do with UTF-8 URL-encoded values
/// and raw callback URLs, replies read as GBK.
/// </summary>
public sealed class BptClient(HttpClient http, Uri baseUrl, BptCredentials credentials)
{
    public static readonly Encoding Gbk = CreateGbk();

    private static Encoding CreateGbk()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GBK");
    }

    private readonly string _base = new Uri(baseUrl, "alidz.do").ToString();

    public Task<BptReply> NewQueryPriceByPnrAsync(string pnr, string air, CancellationToken ct) =>
        GetAsync("newquerypricebypnr", ct, ("pnr", pnr), ("bigpnr", "1"), ("air", air), ("qrytype", "one"), ("ticketprice", ""));

    public Task<BptReply> InputAsync(string pnr, string pnrc, string air, string pnrSrcId, string callbackUrl, CancellationToken ct) =>
        GetAsync("input", ct, ("pnr", pnr), ("pnrc", pnrc), ("bigpnr", "1"), ("air", air), ("pnrsrcid", pnrSrcId),
            ("getticketovertime", "5"), ("callbackurl", callbackUrl));

    public Task<BptReply> PayAsync(string pnr, string pnrc, string air, string pnrSrcId, string payPrice, CancellationToken ct) =>
        GetAsync("pay", ct, ("pnr", pnr), ("pnrc", pnrc), ("bigpnr", "1"), ("air", air), ("pnrsrcid", pnrSrcId), ("autopayflag", "1"),
            ("payaccount", "load@example.com"), ("checkprice", "0-" + payPrice));

    public Task<BptReply> TicketOutCallbackAsync(string pnr, string air, string pnrSrcId, string callbackUrl, CancellationToken ct) =>
        GetAsync("ticketoutcallback", ct, ("pnr", pnr), ("bigpnr", "1"), ("air", air), ("pnrsrcid", pnrSrcId), ("callbackurl", callbackUrl));

    public Task<BptReply> NewQueryOrderAsync(string pnr, string air, string pnrSrcId, CancellationToken ct) =>
        GetAsync("newqueryorder", ct, ("pnr", pnr), ("bigpnr", "1"), ("air", air), ("pnrsrcid", pnrSrcId));

    private async Task<BptReply> GetAsync(string cmd, CancellationToken ct, params (string Name, string Value)[] parameters)
    {
        var sb = new StringBuilder(_base, 320).Append("?cmd=").Append(cmd).Append("&fmt=xml&xmlhashead=false");
        foreach (var (name, value) in parameters)
        {
            // Like BPB and PB3, callback URLs go unencoded; everything else is URL-encoded.
            sb.Append('&').Append(name).Append('=').Append(name == "callbackurl" ? value : Uri.EscapeDataString(value));
        }

        sb.Append("&b2buser=").Append(Uri.EscapeDataString(credentials.B2bUser)).Append("&b2bpwd=").Append(Uri.EscapeDataString(credentials.B2bPassword));
        using var response = await http.GetAsync(sb.ToString(), HttpCompletionOption.ResponseContentRead, ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{cmd}: HTTP {(int)response.StatusCode}");
        }

        return new BptReply(Gbk.GetString(bytes));
    }

    public static string Money(decimal value) => value.ToString("0.0#", CultureInfo.InvariantCulture);
}
