using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Pipeline;

namespace Sandbox.Admin;

/// <summary>A tenant's virtual clock: read it, set it (frozen, at an instant, at an offset), advance it.</summary>
public static class ClockApi
{
    /// <summary>A clock; after a change also what the replay of the window did: timers fired, callback attempts, where it stopped.</summary>
    public sealed record ClockView(string Tenant, string Now, string Real, bool Frozen, string Offset, int? Fired = null, int? Callbacks = null, string? Until = null);

    public sealed record ClockRequest(DateTimeOffset? Now, bool? Frozen, string? Offset);

    public sealed record AdvanceRequest(string By);

    public static IEndpointRouteBuilder MapClockApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapAdminGroup().WithTags("clock");
        api.MapGet("/tenants/{tenant}/clock", GetClock);
        api.MapPut("/tenants/{tenant}/clock", PutClock);
        api.MapPost("/tenants/{tenant}/clock/advance", AdvanceClock);
        return app;
    }

    static ClockView View(string tenant, ClockState c, VirtualClock clock) => new(
        tenant, clock.Now(tenant).ToString("O"), clock.RealNow.ToString("O"), c.FrozenAtMs is not null,
        Durations.ToIso(TimeSpan.FromMilliseconds(c.OffsetMs)));

    static ClockView View(string tenant, AdvanceSummary summary, VirtualClock clock) =>
        View(tenant, clock.Get(tenant), clock) with { Fired = summary.Fired, Callbacks = summary.Callbacks, Until = summary.Until.ToString("O") };

    public static Results<Ok<ClockView>, NotFound<ProblemDetails>> GetClock(string tenant, [AsParameters] AdminServices s) =>
        s.Tenants.Find(tenant) is null ? AdminProblem.NotFound($"tenant '{tenant}' not found") : TypedResults.Ok(View(tenant, s.Clock.Get(tenant), s.Clock));

    public static async Task<Results<Ok<ClockView>, BadRequest<ProblemDetails>, NotFound<ProblemDetails>>> PutClock(
        string tenant, ClockRequest body, [AsParameters] AdminServices s)
    {
        if (s.Tenants.Find(tenant) is null) return AdminProblem.NotFound($"tenant '{tenant}' not found");
        var real = s.Clock.RealNow;
        var current = s.Clock.Now(tenant);
        var target = body.Now ?? current;
        if (body.Offset is not null)
        {
            if (!Durations.TryParse(body.Offset, out var offset)) return AdminProblem.BadRequest("'offset' must be a duration such as PT2H or -P1D");
            target = real + offset;
        }
        var frozen = body.Frozen ?? s.Clock.Get(tenant).FrozenAtMs is not null;
        var state = frozen
            ? new ClockState(0, target.ToUnixTimeMilliseconds())
            : new ClockState(target.ToUnixTimeMilliseconds() - real.ToUnixTimeMilliseconds(), null);
        var summary = await s.Administration.SetClockAsync(tenant, state);
        return TypedResults.Ok(View(tenant, summary, s.Clock));
    }

    public static async Task<Results<Ok<ClockView>, BadRequest<ProblemDetails>, NotFound<ProblemDetails>>> AdvanceClock(
        string tenant, AdvanceRequest body, [AsParameters] AdminServices s)
    {
        if (s.Tenants.Find(tenant) is null) return AdminProblem.NotFound($"tenant '{tenant}' not found");
        if (!Durations.TryParse(body.By, out var by) || by < TimeSpan.Zero) return AdminProblem.BadRequest("'by' must be a positive duration such as PT2H or 90s");
        var summary = await s.Administration.AdvanceAsync(tenant, by);
        return TypedResults.Ok(View(tenant, summary, s.Clock));
    }
}
