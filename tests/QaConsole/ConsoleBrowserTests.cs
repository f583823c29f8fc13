using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.QaConsole;

/// <summary>
/// The QA console in a real browser (Chromium through Playwright) against a real sandbox: the token prompt, creating a
/// tenant, a TechHouse booking's timeline with its callback in the inbox, redelivery, advancing the clock, a broken
/// scenario reload. Screenshots go to TestResults/console/.
/// </summary>
public sealed class ConsoleBrowserTests(Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    SandboxHost _host = null!;
    readonly List<string> _errors = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }

    async Task<IPage> OpenAsync(string? token = null, string hash = "")
    {
        Skip.IfNot(Browser.Available, $"Chromium is not installed ({Browser.Executable}); .ci/run installs it with apt-get install chromium");
        _host = await SandboxHost.StartAsync(token);
        var page = await browser.NewPageAsync();
        page.Console += (_, m) => { if (m.Type == "error") _errors.Add(m.Text); };
        page.PageError += (_, e) => _errors.Add(e);
        await page.GotoAsync(_host.BaseAddress + "admin/" + hash);
        return page;
    }

    void NoScriptErrors() => Assert.True(_errors.Count == 0, "browser errors: " + string.Join(" | ", _errors));

    static ILocator Content(IPage page) => page.Locator("main");

    static ILocator Textbox(ILocator scope, string name) => scope.GetByRole(AriaRole.Textbox, new() { Name = name, Exact = true });

    [SkippableFact]
    public async Task Without_a_token_the_console_opens_on_the_tenants()
    {
        var page = await OpenAsync();
        await Expect(Content(page).GetByRole(AriaRole.Heading, new() { Name = "Tenants" }));
        await Expect(Content(page).GetByRole(AriaRole.Link, new() { Name = "demo", Exact = true }));
        Assert.Equal(0, await page.Locator("#token-input").CountAsync());
        await Browser.ScreenshotAsync(page, "tenants");
        NoScriptErrors();
    }

    [SkippableFact]
    public async Task With_a_token_the_console_asks_for_it_says_when_it_is_refused_and_keeps_it_for_the_session()
    {
        var page = await OpenAsync(token: "qa-secret-token");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Admin token" }));
        await Expect(page.Locator("#token-message"), "requires an admin token (HTTP 401)");
        await page.Locator("#token-input").FillAsync("wrong");
        await page.Locator("#token-input").PressAsync("Enter");
        await Expect(page.Locator("#token-message"), "refused this token (HTTP 401)");
        await Browser.ScreenshotAsync(page, "token");
        await page.Locator("#token-input").FillAsync("qa-secret-token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
        await Expect(Content(page).GetByRole(AriaRole.Link, new() { Name = "demo", Exact = true }));
        await page.ReloadAsync();
        await Expect(Content(page).GetByRole(AriaRole.Link, new() { Name = "demo", Exact = true }));
        Assert.Equal(0, await page.Locator("#token-input").CountAsync());
        // The browser logs the refused token checks (401) as failed loads.
        _errors.RemoveAll(e => e.StartsWith("Failed to load resource") && e.Contains("401"));
        NoScriptErrors();
    }

    [SkippableFact]
    public async Task A_tenant_is_created_with_its_credentials_and_inbox_callback()
    {
        var page = await OpenAsync(hash: "#/tenants/new");
        await page.Locator("#tenant-id").FillAsync("acme");
        await page.Locator("#tenant-name").FillAsync("ACME Travel");
        var techhouse = page.Locator("fieldset", new() { Has = page.Locator("legend", new() { HasText = "techhouse" }) });
        await techhouse.GetByLabel("New techhouse credential field").FillAsync("key");
        await techhouse.GetByRole(AriaRole.Button, new() { Name = "Add field" }).ClickAsync();
        await Textbox(techhouse, "credentials.techhouse.key").FillAsync("acmeKey0123456789");
        await techhouse.GetByLabel("New techhouse credential field").FillAsync("secret");
        await techhouse.GetByRole(AriaRole.Button, new() { Name = "Add field" }).ClickAsync();
        var secret = Textbox(techhouse, "credentials.techhouse.secret");
        await secret.FillAsync("0123456789abcdef0123456789abcdef");
        Assert.Equal("password", await secret.GetAttributeAsync("type"));
        await techhouse.GetByRole(AriaRole.Button, new() { Name = "Use the inbox" }).ClickAsync();
        await Browser.ScreenshotAsync(page, "tenant-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create tenant" }).ClickAsync();
        await Expect(page.Locator("#notice"), "Tenant acme created.");

        var acme = (await _host.AdminGet("/tenants/acme"))!;
        Assert.Equal("ACME Travel", acme["name"]!.GetValue<string>());
        Assert.Equal("0123456789abcdef0123456789abcdef", acme["credentials"]!["techhouse"]!["secret"]!.GetValue<string>());
        Assert.Equal(_host.BaseAddress + "inbox/acme/techhouse", acme["callbacks"]!["techhouse"]!.GetValue<string>());
        NoScriptErrors();
    }

    [SkippableFact]
    public async Task A_booking_shows_on_its_timeline_the_clock_advance_fires_ticketing_and_the_callback_lands_in_the_inbox()
    {
        var page = await OpenAsync();
        await _host.FreezeClockAsync();
        var orderNo = (await new TechHouseClient(_host.Http).BookAsync())["orderNo"]!.GetValue<string>();

        await page.GotoAsync(_host.BaseAddress + "admin/#/t/demo/orders");
        var row = Content(page).Locator("tr", new() { HasText = orderNo });
        await Expect(row, "PENDING");
        await Browser.ScreenshotAsync(page, "orders");
        // Keyboard: the row is focusable and Enter opens the order.
        await row.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#timeline"), "Commit");
        await Expect(page.Locator("#order-actions"), "→ TICKETED");

        await page.GotoAsync(_host.BaseAddress + "admin/#/t/demo/clock");
        await page.Locator("#advance-by").FillAsync("PT2M");
        await page.GetByRole(AriaRole.Button, new() { Name = "Advance", Exact = true }).ClickAsync();
        await Expect(page.Locator("#clock-summary"), "1 timer fired, 1 callback attempt made");
        await Browser.ScreenshotAsync(page, "clock");

        // Auto-refresh off: the entries clicked below are not redrawn under the pointer.
        await page.Locator("#live").UncheckAsync();
        await page.GotoAsync(_host.BaseAddress + $"admin/#/t/demo/orders/{orderNo}?supplier=techhouse");
        var timeline = page.Locator("#timeline");
        await Expect(timeline, "Clock advance PT2M");
        await Expect(timeline.Locator("li", new() { HasText = "Transition" }).Last, "TICKETED");
        await Expect(timeline.Locator("li", new() { HasText = "Attempt 1" }), "acknowledged");
        await timeline.Locator("li", new() { HasText = "Attempt 1" }).Locator("summary").ClickAsync();
        await Expect(timeline.Locator("li", new() { HasText = "Attempt 1" }), "\"status\": 0");
        await Browser.ScreenshotAsync(page, "timeline");

        await page.Locator("[data-redeliver]").First.ClickAsync();
        await Expect(page.Locator("#notice"), "redelivered: redelivered (HTTP 200)");
        await Expect(timeline.Locator("li", new() { HasText = "Attempt 2" }), "redelivered");

        await page.GotoAsync(_host.BaseAddress + "admin/#/t/demo/inbox");
        var received = page.Locator("#inbox-list details");
        await Expect(received.First, "POST /inbox/demo/techhouse");
        Assert.Equal(2, await received.CountAsync());
        await received.First.Locator("summary").ClickAsync();
        await Expect(received.First, orderNo);
        await Browser.ScreenshotAsync(page, "inbox");

        var callbacks = await _host.CallbacksAsync();
        Assert.Equal(2, callbacks.Single()["deliveries"]!.AsArray().Count);
        NoScriptErrors();
    }

    [SkippableFact]
    public async Task A_forced_transition_uses_the_machines_allowed_targets()
    {
        var page = await OpenAsync();
        await _host.FreezeClockAsync();
        var orderNo = (await new TechHouseClient(_host.Http).BookAsync())["orderNo"]!.GetValue<string>();
        await page.GotoAsync(_host.BaseAddress + $"admin/#/t/demo/orders/{orderNo}?supplier=techhouse");
        await Expect(page.Locator("#order-actions"), "→ TICKETED");
        var targets = await page.Locator("#order-actions button[data-to]").EvaluateAllAsync<string[]>("b => b.map(x => x.dataset.to)");
        Assert.Contains("TICKETED", targets);
        Assert.DoesNotContain("PENDING", targets);
        await page.Locator("#order-actions button[data-to='TICKETED']").ClickAsync();
        await Expect(page.Locator("main h1"), "TICKETED");
        Assert.Equal("TICKETED", (await _host.AdminGet($"/tenants/demo/orders/{orderNo}"))!["status"]!.GetValue<string>());
        NoScriptErrors();
    }

    [SkippableFact]
    public async Task A_broken_scenario_reload_shows_its_file_line_and_reason()
    {
        var page = await OpenAsync(hash: "#/scenarios");
        await Expect(page.Locator("#scenario-sets"), "default");
        await File.WriteAllTextAsync(Path.Combine(_host.ScenariosPath, "techhouse", "broken.yaml"),
            "supplier: techhouse\nmachines:\n  order:\n    initial: PENDING\n    transitions:\n      - {from: PENDING, to: TICKETED, after: soon}\n");
        await page.Locator("#scenario-reload").ClickAsync();
        await Expect(page.Locator("#scenario-errors"), "broken.yaml:");
        var text = await page.Locator("#scenario-errors").InnerTextAsync();
        Assert.Matches(@"broken\.yaml:\d+:\d+: ", text);
        await Browser.ScreenshotAsync(page, "scenarios");
        // The browser logs the refused reload (422) as a failed load.
        _errors.RemoveAll(e => e.StartsWith("Failed to load resource") && e.Contains("422"));

        await page.Locator("#magic-search").FillAsync("DECLINE");
        await Expect(page.Locator("#magic-list"), "DECLINE");
        NoScriptErrors();
    }

    [SkippableFact]
    public async Task The_signature_calculator_shows_the_canonical_string_and_expected_signature()
    {
        var page = await OpenAsync(hash: "#/signatures");
        await page.Locator("#sign-request").FillAsync(
            """{"action":"GetBalance","key":"ctPJAIdxUA3ptaWC","timestamp":"1500375695.65","signature":"15hhHQ8C6F9OxD/BNyztUPUJyiRlGPRafEkcI6q2E5Y=","request":{}}""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Calculate" }).ClickAsync();
        await Expect(page.Locator("#sign-result code.canonical"), "ctPJAIdxUA3ptaWC&1500375695.65");
        await Expect(page.Locator("#sign-result code.expected"), "15hhHQ8C6F9OxD/BNyztUPUJyiRlGPRafEkcI6q2E5Y=");
        await Expect(page.Locator("#sign-result"), "matches");
        await Browser.ScreenshotAsync(page, "signatures");
        NoScriptErrors();
    }

    [SkippableFact]
    public async Task The_qimen_call_log_shows_the_catalogue_sync_with_its_counters_and_signed_bodies()
    {
        var page = await OpenAsync();
        await using var bus = await FliggyBus.ReferenceOperator.ReferenceOperator.StartAsync();
        var (status, body) = await _host.AdminSend(HttpMethod.Post, "/tenants", new JsonObject
        {
            ["id"] = "bus-co",
            ["credentials"] = new JsonObject
            {
                ["fliggybus"] = new JsonObject
                {
                    ["qimenUrl"] = bus.Url, ["qimenAppKey"] = FliggyBus.ReferenceOperator.ReferenceOperator.AppKey,
                    ["qimenSecret"] = FliggyBus.ReferenceOperator.ReferenceOperator.Secret, ["customerId"] = "ref_bus",
                },
            },
        });
        Assert.True(status == 201, $"{status} {body}");
        (status, body) = await _host.AdminSend(HttpMethod.Post, "/tenants/bus-co/fliggybus/sync");
        Assert.True(status == 200, $"{status} {body}");

        await page.GotoAsync(_host.BaseAddress + "admin/#/t/bus-co/qimen");
        // The console read its tenant list before bus-co existed: the route must find it anyway.
        await Expect(Content(page).GetByRole(AriaRole.Heading, new() { Name = "Qimen calls of bus-co" }));
        await Expect(page.Locator("#qimen-stats tr", new() { HasText = "fromcity.query" }), "1");
        var call = page.Locator("#qimen-list details", new() { HasText = "number.query" }).First;
        await Expect(call, "success");
        await call.Locator("summary").ClickAsync();
        await Expect(call, "String to sign");
        await Expect(call, "methodqimen.alitrip.custombus.product.number.query");
        await page.Locator("#qimen-method").SelectOptionAsync("qimen.alitrip.custombus.product.fromcity.query");
        // The filtered list replaces the whole one: wait for it rather than read the list still on screen.
        await Assertions.Expect(page.Locator("#qimen-list details", new() { HasText = "number.query" })).ToHaveCountAsync(0);
        await Expect(page.Locator("#qimen-list details", new() { HasText = "fromcity.query" }).First);
        await Browser.ScreenshotAsync(page, "qimen-calls");
        NoScriptErrors();
    }

    /// <summary>Waits until the locator is visible (and holds <paramref name="text"/>), failing with what it held instead.</summary>
    static async Task Expect(ILocator locator, string? text = null)
    {
        if (text is null) await Assertions.Expect(locator.First).ToBeVisibleAsync();
        else await Assertions.Expect(locator).ToContainTextAsync(text);
    }
}
