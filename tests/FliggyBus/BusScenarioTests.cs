using System.Text.Json.Nodes;
using Sandbox.Engine;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.FliggyBus;
using Sandbox.Suppliers.FliggyBus.Config;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;

namespace Sandbox.Tests.FliggyBus;

/// <summary>
/// scenarios/fliggybus loaded by the engine's own scenario loader: the §3 call policies, the §6 order and ticket
/// machines driven through every row of the §6.3 table, the §7 rule; and the tenant configuration shape.
/// </summary>
public sealed class BusScenarioTests
{
    static Scenario LoadDefault()
    {
        var catalog = new ScenarioCatalog(new SandboxOptions().ResolveScenarios());
        catalog.Register(new FliggyBusVocabulary());
        var report = catalog.Reload();
        Assert.DoesNotContain(report.Errors, e => e.File.Contains("fliggybus"));
        return catalog.For("fliggybus", "default");
    }

    [Fact]
    public void Default_settings_are_the_timeouts_and_retries_of_section_3()
    {
        var settings = FliggyBusSettings.Parse(LoadDefault().Settings);
        Assert.True(settings.Ok, string.Join("; ", settings.Errors));
        var s = settings.Value!;
        Assert.Equal(11, s.Calls.Count);
        var confirm = s.PolicyFor(QimenMethods.OrderConfirm);
        Assert.Equal(5, confirm.Attempts);
        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5)], confirm.Delays);
        Assert.Equal(TimeSpan.FromSeconds(30), confirm.DelayBefore(2));
        Assert.Null(confirm.DelayBefore(6));
        Assert.Equal(1, s.PolicyFor(QimenMethods.SeatQuery).Attempts);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)], s.PolicyFor(QimenMethods.OrderCreate).Delays);
        Assert.All(s.Calls.Values, p => Assert.Equal(TimeSpan.FromSeconds(5), p.Timeout));
        Assert.Equal(TimeSpan.FromMinutes(15), s.PaymentDeadline);
        Assert.Equal(TimeSpan.FromMinutes(30), s.TicketingTimeout);
        Assert.False(s.SignedTrace);
        Assert.True(s.RefundPermission);
        Assert.Null(s.Bookings);
    }

    [Fact]
    public void The_traffic_set_books_on_a_schedule()
    {
        var catalog = new ScenarioCatalog(new SandboxOptions().ResolveScenarios());
        catalog.Register(new FliggyBusVocabulary());
        catalog.Reload();
        var bookings = FliggyBusSettings.Parse(catalog.For("fliggybus", "traffic").Settings).Value!.Bookings!;
        Assert.Equal(new ScheduledBookings(TimeSpan.FromMinutes(10), 1, TimeSpan.FromMinutes(2), TimeSpan.FromHours(1)), bookings);
    }

    [Fact]
    public void A_tenant_overrides_one_field_of_one_policy()
    {
        var overrides = (JsonObject)JsonNode.Parse("""{"signedTrace":true,"calls":{"qimen.alitrip.custombus.order.create":{"timeout":"2s"}}}""")!;
        var s = FliggyBusSettings.Parse(LoadDefault().Settings, overrides).Value!;
        Assert.True(s.SignedTrace);
        Assert.Equal(TimeSpan.FromSeconds(2), s.PolicyFor(QimenMethods.OrderCreate).Timeout);
        Assert.Equal(3, s.PolicyFor(QimenMethods.OrderCreate).Attempts);
    }

    [Theory]
    [InlineData("""{"calls":{"qimen.alitrip.custombus.order.create":{"attempts":4}}}""", "settings.calls.qimen.alitrip.custombus.order.create.delays")]
    [InlineData("""{"calls":{"qimen.alitrip.custombus.order.create":{"timeout":"soon"}}}""", "settings.calls.qimen.alitrip.custombus.order.create.timeout")]
    [InlineData("""{"calls":{"qimen.alitrip.custombus.order.cancel":{"timeout":"1s","attempts":1,"delays":[]}}}""", "settings.calls.qimen.alitrip.custombus.order.cancel")]
    [InlineData("""{"paymentDeadline":"-5m"}""", "settings.paymentDeadline")]
    [InlineData("""{"signedTrace":"yes"}""", "settings.signedTrace")]
    [InlineData("""{"retries":3}""", "settings.retries")]
    [InlineData("""{"bookings":{"every":"soon"}}""", "settings.bookings.every")]
    [InlineData("""{"bookings":{"every":"PT1M","passengers":12}}""", "settings.bookings.passengers")]
    [InlineData("""{"bookings":{"every":"PT1M","refundAfter":"PT1H"}}""", "settings.bookings.refundAfter")]
    [InlineData("""{"bookings":"often"}""", "settings.bookings")]
    public void Bad_tenant_overrides_name_the_offending_setting(string json, string path)
    {
        var result = FliggyBusSettings.Parse(LoadDefault().Settings, (JsonObject)JsonNode.Parse(json)!);
        Assert.False(result.Ok);
        Assert.Contains(result.Errors, e => e.Path == path);
    }

    [Fact]
    public void A_bad_settings_file_is_rejected_with_line_and_column()
    {
        var root = Path.Combine(Path.GetTempPath(), "sandbox-fliggybus-" + Guid.NewGuid().ToString("N"));
        var dir = Path.Combine(root, "fliggybus");
        Directory.CreateDirectory(dir);
        try
        {
            var text = File.ReadAllText(Path.Combine(new SandboxOptions().ResolveScenarios(), "fliggybus", "default.yaml"))
                .Replace("qimen.alitrip.custombus.order.create:            {timeout: 5s, attempts: 3, delays: [1s, 3s]}",
                         "qimen.alitrip.custombus.order.create:            {timeout: 5s, attempts: 3, delays: [1s, often]}");
            File.WriteAllText(Path.Combine(dir, "broken.yaml"), text.Replace("include: [failures]", "include: []"));
            var catalog = new ScenarioCatalog(root);
            catalog.Register(new FliggyBusVocabulary());
            var error = Assert.Single(catalog.Reload().Errors);
            Assert.Contains("delays[1]", error.Reason);
            var line = text.Split('\n').Select((l, i) => (l, i)).First(x => x.l.Contains("often")).i + 1;
            Assert.Equal(line, error.Line);
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    [Fact]
    public void The_refund_rule_of_the_catalogue_is_the_seed_example()
    {
        Assert.Equal(RefundRule.SeedExample, RefundRulesSection.From(LoadDefault().Catalog));
    }

    [Fact]
    public void Failures_fragment_rules_load_for_the_TOP_methods()
    {
        var rules = LoadDefault().RulesFor(FliggyBusVocabulary.BookTicketConfirm);
        var rule = Assert.Single(rules);
        Assert.Equal("SYS_ERROR", rule.Reply!["result_code"]!.GetValue<string>());
    }

    static BusOrder NewOrder(BusMachines machines, params long[] prices)
    {
        var order = new BusOrder
        {
            Id = "8240101120000001",
            OrderAmount = prices.Sum(),
            Tickets = prices.Select((p, i) => new BusTicket { PassengerId = (i + 1).ToString(), TicketPrice = p }).ToList(),
        };
        machines.Start(order);
        return order;
    }

    static void Step(BusMachines m, BusOrder order, BusEvent evt, string orderStatus, params string[] ticketStatuses)
    {
        var step = m.Apply(order, evt);
        Assert.True(step.Allowed, step.Refusal);
        Assert.Equal(orderStatus, order.Status);
        Assert.Equal(ticketStatuses, order.Tickets.Select(t => t.Status));
    }

    [Fact]
    public void Synchronous_issue_then_partial_and_full_refund()
    {
        var m = BusMachines.From(LoadDefault());
        var order = NewOrder(m, 3000, 3000);
        Assert.Equal("1", order.Status);
        Assert.Equal(["1", "1"], order.Tickets.Select(t => t.Status));
        Assert.Equal(QimenMethods.OrderConfirm, m.Apply(order, new BusEvent(BusEvents.Paid)).Transition!.Emit);
        Step(m, order, new BusEvent(BusEvents.ConfirmIssued), "3", "2", "2");
        Step(m, order, new BusEvent(BusEvents.ReturnRefunded, ["1"], 2700), "3", "5", "2");
        Step(m, order, new BusEvent(BusEvents.ReturnRefunded, ["2"], 2700), "11", "5", "5");
    }

    [Fact]
    public void Asynchronous_ticketing_success_failure_and_timeout()
    {
        var m = BusMachines.From(LoadDefault());
        var ok = NewOrder(m, 3000);
        Step(m, ok, new BusEvent(BusEvents.ConfirmPending), "2", "1");
        Step(m, ok, new BusEvent(BusEvents.BookTicketSucceeded), "3", "2");
        Step(m, ok, new BusEvent(BusEvents.BookTicketSucceeded), "3", "2");

        var failed = NewOrder(m, 3000);
        Step(m, failed, new BusEvent(BusEvents.ConfirmPending), "2", "1");
        Step(m, failed, new BusEvent(BusEvents.BookTicketFailed), "4", "3");

        var late = NewOrder(m, 3000);
        Step(m, late, new BusEvent(BusEvents.ConfirmPending), "2", "1");
        Assert.Equal(QimenMethods.OrderClose, m.Apply(late, new BusEvent(BusEvents.TicketingTimeout)).Transition!.Emit);
        Assert.Equal(("4", "3"), (late.Status, late.Tickets[0].Status));
        var tooLate = m.Apply(late, new BusEvent(BusEvents.BookTicketSucceeded));
        Assert.False(tooLate.Allowed);
        Assert.Contains("status 4", tooLate.Refusal);
    }

    [Fact]
    public void Unpaid_order_closes_and_confirm_failure_closes()
    {
        var m = BusMachines.From(LoadDefault());
        var unpaid = NewOrder(m, 3000, 1500);
        Assert.Equal(QimenMethods.OrderClose, m.Apply(unpaid, new BusEvent(BusEvents.PaymentTimeout)).Transition!.Emit);
        Assert.Equal("5", unpaid.Status);
        Assert.Equal(["3", "3"], unpaid.Tickets.Select(t => t.Status));

        var refused = NewOrder(m, 3000);
        Step(m, refused, new BusEvent(BusEvents.ConfirmFailed), "4", "3");
    }

    [Fact]
    public void Asynchronous_refund_success_and_failure()
    {
        var m = BusMachines.From(LoadDefault());
        var order = NewOrder(m, 3000, 3000);
        Step(m, order, new BusEvent(BusEvents.ConfirmIssued), "3", "2", "2");
        Step(m, order, new BusEvent(BusEvents.ReturnProcessing, ["1"]), "9", "4", "2");
        Step(m, order, new BusEvent(BusEvents.RefundFailed, ["1"]), "3", "6", "2");
        Step(m, order, new BusEvent(BusEvents.ReturnProcessing), "9", "4", "4");
        Step(m, order, new BusEvent(BusEvents.RefundSucceeded, null, 6000), "11", "5", "5");
        Assert.Equal(6000, order.RefundedAmount);
    }

    [Fact]
    public void Offline_and_money_only_refunds()
    {
        var m = BusMachines.From(LoadDefault());
        var offline = NewOrder(m, 3000, 3000);
        Step(m, offline, new BusEvent(BusEvents.ConfirmIssued), "3", "2", "2");
        Step(m, offline, new BusEvent(BusEvents.OfflineRefund, ["2"], 3000), "3", "2", "5");
        Step(m, offline, new BusEvent(BusEvents.OfflineRefund, ["1"], 3000), "11", "5", "5");

        var money = NewOrder(m, 3000, 3000);
        Step(m, money, new BusEvent(BusEvents.ConfirmIssued), "3", "2", "2");
        Step(m, money, new BusEvent(BusEvents.MoneyRefunded, null, 1000), "3", "2", "2");
        Step(m, money, new BusEvent(BusEvents.MoneyRefunded, null, 5000), "11", "2", "2");
    }

    [Fact]
    public void A_refused_event_changes_nothing()
    {
        var m = BusMachines.From(LoadDefault());
        var order = NewOrder(m, 3000, 3000);
        var refund = m.Apply(order, new BusEvent(BusEvents.ReturnRefunded, ["1"], 2700));
        Assert.False(refund.Allowed);
        Assert.Equal(("1", 0L), (order.Status, order.RefundedAmount));
        Assert.All(order.Tickets, t => Assert.Equal("1", t.Status));
        Assert.Contains("passenger 7", m.Apply(order, new BusEvent(BusEvents.ConfirmIssued, ["7"])).Refusal);
    }

    [Fact]
    public void Tenant_credentials_shape()
    {
        var tenant = new Tenant
        {
            Id = "bus",
            Credentials =
            {
                ["fliggybus"] = (JsonObject)JsonNode.Parse("""{"qimenUrl":"http://127.0.0.1:9091/qimen","qimenUrlOverrides":{"qimen.alitrip.custombus.order.create":"http://127.0.0.1:9092/create"},"qimenAppKey":"23456789","qimenSecret":"s3cret","customerId":"bus_merchant"}""")!,
                ["top"] = (JsonObject)JsonNode.Parse("""{"appKey":"12345678","appSecret":"topsecret"}""")!,
            },
        };
        var c = FliggyBusCredentials.From(tenant).Value!;
        Assert.Equal("http://127.0.0.1:9092/create", c.UrlFor(QimenMethods.OrderCreate));
        Assert.Equal("http://127.0.0.1:9091/qimen", c.UrlFor(QimenMethods.OrderConfirm));
        var endpoint = c.EndpointFor(QimenMethods.OrderConfirm, signedTrace: true);
        Assert.Equal(("23456789", "s3cret", "bus_merchant", "12345678", true), (endpoint.AppKey, endpoint.Secret, endpoint.CustomerId, endpoint.TargetAppKey, endpoint.SignedTrace));
    }

    [Theory]
    [InlineData("""{"qimenAppKey":"k","qimenSecret":"s","customerId":"c"}""", null, "credentials.fliggybus.qimenUrl")]
    [InlineData("""{"qimenUrl":"ftp://x/q","qimenAppKey":"k","qimenSecret":"s","customerId":"c"}""", null, "credentials.fliggybus.qimenUrl")]
    [InlineData("""{"qimenUrl":"http://x/q","qimenAppKey":"k","customerId":"c"}""", null, "credentials.fliggybus.qimenSecret")]
    [InlineData("""{"qimenUrl":"http://x/q","qimenAppKey":"k","qimenSecret":"s","customerId":"c","qimenUrlOverrides":{"order.create":"http://x/c"}}""", null, "credentials.fliggybus.qimenUrlOverrides.order.create")]
    [InlineData("""{"qimenUrl":"http://x/q","qimenAppKey":"k","qimenSecret":"s","customerId":"c"}""", """{"appKey":"123"}""", "credentials.top.appSecret")]
    public void Bad_credentials_name_the_offending_field(string bus, string? top, string path)
    {
        var result = FliggyBusCredentials.Parse((JsonObject)JsonNode.Parse(bus)!, top is null ? null : (JsonObject)JsonNode.Parse(top)!);
        Assert.False(result.Ok);
        Assert.Contains(result.Errors, e => e.Path == path);
    }

    [Fact]
    public void The_demo_tenant_calls_its_operator_with_the_check_vector_account()
    {
        var demo = TenantFile.Load(Path.Combine(new SandboxOptions().ResolveScenarios(), "tenants.yaml")).Single(t => t.Id == "demo");
        var c = FliggyBusCredentials.From(demo);
        Assert.True(c.Ok, string.Join("; ", c.Errors));
        Assert.Equal(("12345678", "helloworld", "sbx_bus_merchant"), (c.Value!.QimenAppKey, c.Value.QimenSecret, c.Value.CustomerId));
    }
}
