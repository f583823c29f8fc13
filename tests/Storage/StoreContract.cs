using System.Text;
using Sandbox.Engine.Storage;

namespace Sandbox.Tests.Storage;

/// <summary>
/// What every store must do, whichever database is behind it: one suite, run once per store (<see cref="SqliteStoreTests"/>,
/// <see cref="PostgresStoreTests"/>). A derived class provides a fresh, empty store and journal.
/// </summary>
public abstract class StoreContract
{
    protected abstract IStore NewStore();
    protected abstract IJournalStore NewJournal(IStore store);

    static OutboxRow Outbox(long id, string tenant, string entity, string status = "pending") =>
        new(id, tenant, "techhouse", entity, "SyncOrderStatus", "http://127.0.0.1:9/cb", null, "POST", "application/json",
            Encoding.UTF8.GetBytes("{\"n\":" + id + "}"), status, 0, 1000 + id, 5, 7, null);

    static TimerRow Timer(string id, string tenant, long due) => new(id, tenant, "transition", "techhouse", "order", "o1", "PENDING", "TICKETED", "Sync", due);

    [SkippableFact]
    public async Task Tenants_are_written_found_and_deleted_with_their_state()
    {
        await using var store = NewStore();
        await store.Write(w =>
        {
            w.UpsertTenant("a", "{\"id\":\"a\"}");
            w.UpsertTenant("b", "{\"id\":\"b\"}");
            w.UpsertTenant("a", "{\"id\":\"a\",\"name\":\"A\"}");
            w.PutKv("a", "k", "1");
            w.SetClock("a", 60_000, null);
        });
        Assert.Equal(["{\"id\":\"a\",\"name\":\"A\"}", "{\"id\":\"b\"}"], store.LoadTenants());
        Assert.Equal("{\"id\":\"b\"}", store.FindTenant("b"));
        Assert.Equal(new StoredClock("a", 60_000, null), Assert.Single(store.LoadClocks()));

        await store.Write(w => w.DeleteTenant("a"));
        Assert.Null(store.FindTenant("a"));
        Assert.Null(store.GetKv("a", "k"));
        Assert.Empty(store.LoadClocks());
    }

    [SkippableFact]
    public async Task Entities_are_found_by_key_and_listed_newest_first_within_a_window()
    {
        await using var store = NewStore();
        await store.Write(w =>
        {
            for (var i = 1; i <= 5; i++) w.UpsertEntity("t", "techhouse", "order", "o" + i, "PENDING", i * 100, i * 100, $"{{\"id\":\"o{i}\"}}");
            w.UpsertEntity("t", "techhouse", "order", "o2", "TICKETED", 200, 900, "{\"id\":\"o2\",\"status\":\"TICKETED\"}");
            w.UpsertEntity("other", "techhouse", "order", "o1", "PENDING", 100, 100, "{}");
        });
        Assert.Equal("{\"id\":\"o2\",\"status\":\"TICKETED\"}", store.FindEntity("t", "techhouse", "order", "o2")!.Json);
        Assert.Null(store.FindEntity("t", "techhouse", "ticket", "o2"));
        Assert.Equal(["o4", "o3", "o2"], store.QueryEntities("t", "techhouse", "order", 200, 400, 10).Select(e => e.Id));
        Assert.Equal(["o5", "o4"], store.QueryEntities("t", "techhouse", "order", long.MinValue, long.MaxValue, 2).Select(e => e.Id));
    }

    [SkippableFact]
    public async Task The_timeline_keeps_the_order_events_were_written_in()
    {
        await using var store = NewStore();
        await store.Write(w =>
        {
            w.AddTimeline("t", "e", 3, 30, "created", "{}");
            w.AddTimeline("t", "e", 1, 10, "transition", "{\"to\":\"B\"}");
        });
        await store.Write(w => w.AddTimeline("t", "e", 2, 20, "callback", "{}"));
        Assert.Equal(["created", "transition", "callback"], store.Timeline("t", "e").Select(r => r.Kind));
        Assert.Equal(new TimelineRow(1, 10, "transition", "{\"to\":\"B\"}"), store.Timeline("t", "e")[1]);
    }

    [SkippableFact]
    public async Task Timers_are_loaded_in_due_order_and_a_fired_instance_is_claimed_once()
    {
        await using var store = NewStore();
        await store.Write(w =>
        {
            w.UpsertTimer(Timer("t|b", "t", 200));
            w.UpsertTimer(Timer("t|a", "t", 100));
            w.UpsertTimer(Timer("u|a", "u", 50));
        });
        Assert.Equal(["u|a", "t|a", "t|b"], store.LoadTimers().Select(t => t.Id));
        Assert.Equal(["t|a", "t|b"], store.LoadTimers("t").Select(t => t.Id));
        // A window of due instants: after one instant (exclusive), up to another (inclusive).
        Assert.Equal(["t|b"], store.LoadTimers("t", dueAfterMs: 100, dueThroughMs: 200).Select(t => t.Id));
        Assert.Equal(["t|a"], store.LoadTimers("t", dueThroughMs: 199).Select(t => t.Id));
        Assert.Empty(store.LoadTimers("t", dueAfterMs: 200));
        Assert.Equal(["t", "u"], store.TimerTenants().Order());

        // Re-armed at another instant: deleting the old instance leaves it.
        await store.Write(w => w.UpsertTimer(Timer("t|a", "t", 300)));
        await store.Write(w => w.DeleteTimer("t|a", 100));
        Assert.Equal(300, store.LoadTimers("t").Single(t => t.Id == "t|a").DueVirtualMs);

        await store.Write(w => w.ClaimTimer("t|a", 300));
        var again = await Assert.ThrowsAsync<StoreConflictException>(() => store.Write(w => w.ClaimTimer("t|a", 300)));
        Assert.Contains("t|a", again.Message);
        Assert.Equal(["t|b"], store.LoadTimers("t").Select(t => t.Id));
    }

    [SkippableFact]
    public async Task A_failing_caller_fails_alone_and_the_rest_of_its_group_commits()
    {
        await using var store = NewStore();
        await store.Write(w => w.UpsertTimer(Timer("t|x", "t", 1)));
        var writes = Enumerable.Range(0, 50).Select(i => i == 25
            ? store.Write(w => w.ClaimTimer("t|missing", 1))
            : store.Write(w => w.PutKv("t", "k" + i.ToString("00"), i.ToString()))).ToList();
        await Assert.ThrowsAsync<StoreConflictException>(() => writes[25]);
        await Task.WhenAll(writes.Where((_, i) => i != 25));
        Assert.Equal(49, store.ListKv("t", "k").Count);
    }

    [SkippableFact]
    public async Task Outbox_ids_grow_and_rows_are_queried_with_their_deliveries()
    {
        await using var store = NewStore();
        var ids = Enumerable.Range(0, 3).Select(_ => store.NextOutboxId()).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(3, ids.Distinct().Count());
        await store.Write(w =>
        {
            w.InsertOutbox(Outbox(ids[0], "t", "e1"));
            w.InsertOutbox(Outbox(ids[1], "t", "e2"));
            w.InsertOutbox(Outbox(ids[2], "u", "e1"));
        });
        await store.Write(w =>
        {
            w.InsertDelivery(ids[0], "t", 1, 10, 20, "http://x", 500, "no", 1.5, "not acknowledged", "retry");
            w.InsertDelivery(ids[0], "t", 2, 11, 21, "http://x", 200, "{}", 2.5, null, "acknowledged");
            w.UpdateOutbox(ids[0], "delivered", 2, 0, null, null);
        });
        Assert.Equal([ids[1]], store.PendingOutbox("t").Select(o => o.Id));
        Assert.Equal([ids[1], ids[2]], store.PendingOutbox().Select(o => o.Id));
        var row = Assert.Single(store.QueryOutbox(new OutboxFilter(Id: ids[0])));
        Assert.Equal(("delivered", 2, "http://127.0.0.1:9/cb"), (row.Status, row.Attempts, row.Url));
        Assert.Equal("{\"n\":" + ids[0] + "}", Encoding.UTF8.GetString(row.Body));
        Assert.Equal([ids[1], ids[0]], store.QueryOutbox(new OutboxFilter(Tenant: "t")).Select(o => o.Id));
        Assert.Equal([ids[2]], store.QueryOutbox(new OutboxFilter(Entity: "e1", Status: "pending")).Select(o => o.Id));
        Assert.Equal([1, 2], store.Deliveries(ids[0]).Select(d => d.Attempt));
        Assert.Equal(new DeliveryRow(2, 11, 21, "http://x", 200, "{}", 2.5, null, "acknowledged"), store.Deliveries(ids[0])[1]);
    }

    [SkippableFact]
    public async Task Key_values_are_listed_by_prefix_and_numbers_in_them_add_up_exactly()
    {
        await using var store = NewStore();
        await store.Write(w =>
        {
            w.PutKv("t", "a:1", "1");
            w.PutKv("t", "a:2", "2");
            w.PutKv("t", "b:1", "3");
            w.PutKv("u", "a:3", "4");
        });
        await store.Write(w => w.DeleteKv("t", "a:1"));
        Assert.Equal([("a:2", "2")], store.ListKv("t", "a:"));
        Assert.Null(store.GetKv("t", "a:1"));

        // Concurrent additions, in many group commits: none is lost, and decimals stay decimals.
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ =>
            store.Write(w => w.AddToKvNumber("t", "bal", "CNY", -0.1m, "{\"CNY\":1000.00,\"USD\":5}"))));
        await store.Write(w => w.AddToKvNumber("t", "bal", "THB", 7.25m, "{}"));
        var balances = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, decimal>>(store.GetKv("t", "bal")!)!;
        Assert.Equal(980.00m, balances["CNY"]);
        Assert.Equal(5m, balances["USD"]);
        Assert.Equal(7.25m, balances["THB"]);
    }

    [SkippableFact]
    public async Task Messages_are_filtered_newest_first()
    {
        await using var store = NewStore();
        await store.Write(w =>
        {
            w.InsertMessage("t", "yobaoxing", "sms", "138", "code", "1234", "o1", 1, 2);
            w.InsertMessage("t", "yobaoxing", "sms", "139", "code", "5678", null, 3, 4);
            w.InsertMessage("t", "bpt", "email", "138", "notice", "hi", null, 5, 6);
        });
        Assert.Equal(["hi", "5678", "1234"], store.QueryMessages("t", null, null, null, 10).Select(m => m.Body));
        var one = Assert.Single(store.QueryMessages("t", "yobaoxing", "138", "code", 10));
        Assert.Equal(("sms", "o1", 1L, 2L), (one.Channel, one.Entity, one.AtMs, one.VirtualMs));
    }

    [SkippableFact]
    public async Task TMC_messages_keep_their_delivery_state_until_confirmed()
    {
        await using var store = NewStore();
        await store.Write(w =>
        {
            w.InsertTmcMessage(new TmcMessageRow(2, "t", "default", "topic", 1, "nick", "4272", "{}", 100, 0, 0, null, false));
            w.InsertTmcMessage(new TmcMessageRow(1, "t", "g", "topic", 1, "nick", "4272", "{\"a\":1}", 100, 0, 0, null, false));
        });
        await store.Write(w => w.UpdateTmcDelivery(2, 3, 500, "conn", true));
        await store.Write(w => w.DeleteTmcMessage(1));
        var row = Assert.Single(store.LoadTmcMessages());
        Assert.Equal((2L, 3, 500L, "conn", true), (row.Id, row.Deliveries, row.VisibleMs, row.Holder, row.Parked));
    }

    [SkippableFact]
    public async Task Resetting_a_tenant_wipes_its_state_and_no_one_elses()
    {
        await using var store = NewStore();
        foreach (var t in new[] { "t", "u" })
            await store.Write(w =>
            {
                w.UpsertTenant(t, "{}");
                w.UpsertEntity(t, "s", "k", "1", "A", 0, 0, "{}");
                w.AddTimeline(t, "e", 0, 0, "created", "{}");
                w.UpsertTimer(Timer(t + "|1", t, 5));
                w.InsertOutbox(Outbox(store.NextOutboxId(), t, "e"));
                w.PutKv(t, "k", "1");
                w.InsertMessage(t, "s", "sms", "1", "p", "b", null, 0, 0);
                w.InsertTmcMessage(new TmcMessageRow(t == "t" ? 10 : 11, t, "default", "x", 1, "n", "p", "{}", 0, 0, 0, null, false));
            });
        await store.Write(w => w.DeleteTenantState("t"));
        Assert.NotNull(store.FindTenant("t"));
        Assert.Null(store.FindEntity("t", "s", "k", "1"));
        Assert.Empty(store.Timeline("t", "e"));
        Assert.Empty(store.LoadTimers("t"));
        Assert.Empty(store.PendingOutbox("t"));
        Assert.Empty(store.ListKv("t", ""));
        Assert.Empty(store.QueryMessages("t", null, null, null, 10));
        Assert.Equal([11L], store.LoadTmcMessages().Select(m => m.Id));
        Assert.NotNull(store.FindEntity("u", "s", "k", "1"));
        Assert.Single(store.PendingOutbox("u"));
    }

    [SkippableFact]
    public async Task The_journal_is_bounded_filtered_and_wiped_per_tenant()
    {
        await using var store = NewStore();
        await using var journal = NewJournal(store);
        JournalRecord Row(int i, string? tenant) => new(i, tenant, "techhouse", i % 2 == 0 ? "Commit" : "GetBalance", "POST", "/flight/order", 200,
            i % 3 == 0 ? "1201" : "0", i % 3 == 0, "ok", 12, null, Encoding.UTF8.GetBytes("req" + i), Encoding.UTF8.GetBytes("resp" + i), null);
        await journal.Append(Enumerable.Range(1, 10).Select(i => Row(i, "t")).ToList(), null);
        await journal.Append([Row(11, "u"), Row(12, null)], keepNewest: 8);
        await journal.Flush();
        var all = journal.Query(new JournalFilter());
        Assert.Equal(8, all.Count);
        Assert.Equal([12L, 11, 10, 9, 8, 7, 6, 5], all.Select(r => r.AtMs));
        Assert.Equal("req10", all[2].Request);
        Assert.Equal("resp10", all[2].Response);
        Assert.Equal([10L, 8, 6], journal.Query(new JournalFilter("t", "TechHouse", "Commit")).Select(r => r.AtMs));
        Assert.Equal([9L, 6], journal.Query(new JournalFilter("t", Error: true)).Select(r => r.AtMs));
        Assert.Empty(journal.Query(new JournalFilter(Signature: "failed")));
        await journal.DeleteTenant("t");
        Assert.Equal([12L, 11], journal.Query(new JournalFilter()).Select(r => r.AtMs));
    }

    [SkippableFact]
    public async Task The_inbox_keeps_the_newest_per_tenant_and_tenant_events_are_read_back()
    {
        await using var store = NewStore();
        InboxRow Row(int i, string tenant, string supplier) => new(0, tenant, supplier, 1000 + i, 2000 + i, "POST", "/inbox/" + tenant, "", "{}",
            Encoding.UTF8.GetBytes("body" + i), "acknowledge", 200, "ok");
        for (var i = 1; i <= 5; i++) await store.Write(w => w.InsertInbox(Row(i, "t", i % 2 == 0 ? "bpt" : "techhouse"), keep: 3));
        await store.Write(w => w.InsertInbox(Row(9, "u", "bpt"), keep: 3));
        Assert.Equal([1005L, 1004, 1003], store.QueryInbox("t", null, 10).Select(r => r.AtMs));
        Assert.Equal([1004L], store.QueryInbox("t", "bpt", 10).Select(r => r.AtMs));
        Assert.Equal("body5", Encoding.UTF8.GetString(store.QueryInbox("t", null, 1)[0].Body));
        await store.Write(w => w.DeleteInbox("t", "techhouse"));
        Assert.Equal([1004L], store.QueryInbox("t", null, 10).Select(r => r.AtMs));
        Assert.Single(store.QueryInbox("u", null, 10));

        await store.Write(w =>
        {
            w.AddTenantEvent("t", 100, 5000, "clock", "{\"by\":\"PT1H\"}");
            w.AddTenantEvent("t", 200, 9000, "clock", "{\"by\":\"PT2H\"}");
            w.AddTenantEvent("u", 300, 1, "clock", "{}");
        });
        Assert.Equal([200L, 100], store.TenantEvents("t", "clock", 0, 10).Select(e => e.AtMs));
        Assert.Equal([200L], store.TenantEvents("t", null, 150, 10).Select(e => e.AtMs));
        await store.Write(w => w.DeleteTenantState("t"));
        Assert.Empty(store.TenantEvents("t", null, 0, 10));
        Assert.Empty(store.QueryInbox("t", null, 10));
    }
}
