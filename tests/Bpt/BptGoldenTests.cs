namespace Sandbox.Tests.Bpt;

/// <summary>
/// One golden reply per command (tests/Golden/bpt/*.txt), on a fresh sandbox with fixed PNRs so that names drawn
/// from the seed and ticket numbers are stable; only the per-run payment numbers are masked.
/// </summary>
public class BptGoldenTests(BptHostFixture f) : IClassFixture<BptHostFixture>
{
    BptClient C => f.Client;

    static (string, string)[] Common(string pnr, string air = "CZ") => BptClient.Common(pnr, air, "0140313152408060555", "HDFTP6");

    [Fact]
    public async Task Golden_replies_of_every_command()
    {
        BptGolden.Assert("checkclt", (await C.Get("checkclt")).Text);
        BptGolden.Assert("newquerypricebypnr", (await C.Get("newquerypricebypnr", Common("GLDQRY"))).Text);
        BptGolden.Assert("newquerypricebypnr.json", (await C.Get("newquerypricebypnr", [.. Common("GLDQRY").Where(p => p.Item1 != "fmt"), ("fmt", "json")])).Text);
        BptGolden.Assert("input", (await C.Get("input", Common("GLDFLW"))).Text);
        BptGolden.Assert("pay", (await C.Get("pay", Common("GLDFLW"))).Text);
        BptGolden.Assert("ticketoutcallback", (await C.Get("ticketoutcallback", [.. Common("GLDFLW"), ("callbackurl", "http://127.0.0.1:9/notify")])).Text);
        BptGolden.Assert("ticketout.processing", (await C.Get("ticketout", Common("GLDFLW"))).Text);
        BptGolden.Assert("newqueryorder.waiting", (await C.Get("newqueryorder", Common("GLDFLW"))).Text);
        await f.Host.AdminSend(HttpMethod.Post, "/tenants/demo/orders/CZ-GLDFLW/transition", new { to = "1", supplier = "bpt" });
        BptGolden.Assert("ticketout", (await C.Get("ticketout", Common("GLDFLW"))).Text);
        BptGolden.Assert("newqueryorder", (await C.Get("newqueryorder", Common("GLDFLW"))).Text);
        BptGolden.Assert("newqueryorder.json", (await C.Get("newqueryorder", [.. Common("GLDFLW").Where(p => p.Item1 != "fmt"), ("fmt", "json")])).Text);
        BptGolden.Assert("orderex", (await C.Get("orderex", [.. Common("GLDORD", "HU"), ("autopayflag", "1"), ("callbackurl", "http://127.0.0.1:9/notify")])).Text);
        BptGolden.Assert("orderex.payment-fails", (await C.Get("orderex", [.. Common("ZZPFGL", "HU"), ("autopayflag", "1"), ("callbackurl", "http://127.0.0.1:9/notify")])).Text);
        BptGolden.Assert("orderex.login-failed", (await C.Get("orderex", [.. BptClient.Common("GLDBAD", "HU", "S", "HDFTP6", "badpwd"), ("autopayflag", "1"), ("callbackurl", "http://127.0.0.1:9/")])).Text);
        BptGolden.Assert("pay.failed", (await C.Get("pay", Common("GLDNON"))).Text);
        BptGolden.Assert("querypricebypnrex", (await C.Get("querypricebypnrex", ("pnr", "GLDLEG"), ("bigpnr", "1"), ("air", "CA"), ("b2buser", "u"), ("b2bpwd", "p"))).Text);
        BptGolden.Assert("order", (await C.Get("order", ("pnr", "GLDLEG"), ("bigpnr", "1"), ("air", "CA"), ("b2buser", "u"), ("b2bpwd", "p"), ("autopayflag", "1"))).Text);
        await f.Host.AdminSend(HttpMethod.Post, "/tenants/demo/orders/CA-GLDLEG/transition", new { to = "1", supplier = "bpt" });
        BptGolden.Assert("queryorder", (await C.Get("queryorder", ("pnr", "GLDLEG"), ("bigpnr", "1"), ("air", "CA"))).Text);
    }
}
