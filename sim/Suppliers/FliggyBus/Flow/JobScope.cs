using System.Text.Json.Nodes;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;

namespace Sandbox.Suppliers.FliggyBus.Flow;

/// <summary>One attempt of a <see cref="CallJob"/> while it runs: the tenant, the order it is about (if any), the unit of work its timer commits, and what a step may do next.</summary>
public sealed class JobScope(FliggyBusServices services, BusTenant bus, CallJob job, UnitOfWork uow, BusOrder? order, SyncRun? run)
{
    public FliggyBusServices S { get; } = services;
    public BusTenant Bus { get; } = bus;
    public CallJob Job { get; } = job;
    public UnitOfWork Uow { get; } = uow;
    public BusOrder? Order { get; } = order;
    public SyncRun? Run { get; } = run;
    public string Tenant => Bus.Id;

    /// <summary>The tenant's virtual now (while an advance replays, the instant being replayed).</summary>
    public long NowMs => S.Engine.Clock.NowMs(Tenant);

    /// <summary>A step scheduled a further call on the same subject at once: the chain has not settled yet.</summary>
    public bool ContinuesAtOnce { get; private set; }

    public BusOrder RequireOrder => Order ?? throw new InvalidOperationException($"{Job.Method} needs an order");

    /// <summary>Starts another call now (its first attempt), in this attempt's unit of work.</summary>
    public void Follow(CallJob next)
    {
        if (next.Subject == Job.Subject) ContinuesAtOnce = true;
        if (next.SyncRunId is not null) Run?.Started();
        CallJobs.Schedule(S, Uow, next, NowMs);
    }

    public BusStep Offer(BusEvent evt, string? because = null) => OrderEvents.Offer(S, Bus, RequireOrder, evt, Uow, because);

    public void Note(string kind, JsonObject detail) => OrderEvents.Note(S, Tenant, RequireOrder, Uow, kind, detail);

    public string Describe(QimenCall call) => CallLog.Describe(call);
}
