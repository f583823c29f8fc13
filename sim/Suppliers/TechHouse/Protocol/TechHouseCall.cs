using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Tenants;
using Sandbox.Suppliers.TechHouse.Catalog;
using Sandbox.Suppliers.TechHouse.Model;

namespace Sandbox.Suppliers.TechHouse.Protocol;

/// <summary>One TechHouse action being handled: the request, the tenant's scenario, catalogue and settings.</summary>
public sealed class TechHouseCall(OperationContext ctx, RequestFields request, TechHouseServices services) : OperationCall(ctx)
{
    public RequestFields Request { get; } = request;
    public TechHouseServices Services { get; } = services;
    public TechHouseSettings Settings { get; } = TechHouseSettings.From(ctx.Scenario);
    public FlightCatalog Catalog => FlightCatalog.For(Ctx.Scenario);

    /// <summary>Starts a success reply with the action's own spelling of "success".</summary>
    public JsonReply Ok(string msg = "success") => new(TechHouseStatus.Success, msg);

    public SupplierReply Finish(JsonReply reply) => reply.Finish(Ctx.Rules.Set);

    /// <summary>
    /// The live session named by <c>sessionId</c>; unknown or expired is 2002 (spec §3 resolution), and so is a
    /// committed one except for Commit itself (idempotent re-Commit).
    /// </summary>
    public BookingSession Session(bool allowCommitted = false)
    {
        var id = Request.Str("sessionId");
        var s = Services.Sessions.Get(Ctx, id, Settings.SessionTtl)
                ?? throw new TechHouseError(TechHouseStatus.NoItinerary, "no valid itinerary in the session (unknown or expired sessionId)");
        if (s.State == SessionState.Committed && !allowCommitted)
            throw new TechHouseError(TechHouseStatus.NoItinerary, "session already committed");
        Ctx.EntityKey ??= s.OrderNo is { } o ? TechHouseServices.OrderKey(o) : "techhouse:session:" + s.Id;
        // What the step changes in the session goes back to the store with its unit of work (replicas sharing it).
        Services.Sessions.Track(Uow, s);
        return s;
    }
}
