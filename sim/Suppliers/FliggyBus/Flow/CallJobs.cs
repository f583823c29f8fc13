using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.FliggyBus.Flow.Steps;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;

namespace Sandbox.Suppliers.FliggyBus.Flow;

/// <summary>
/// Runs every Qimen call Fliggy makes on its own as durable timers on the tenant's virtual clock (spec §3): an attempt
/// is a timer; it signs and sends the step's body, records the call in the call log, and then the step takes the
/// reply — or, when Fliggy cannot take it, the next attempt is scheduled after the policy's delay (fresh timestamp
/// and sign, same body), and after the last one the step's fallback runs. A timer's row is deleted in the unit of work
/// that records its outcome, so a restart (also after kill -9) makes the attempt again rather than losing it, and a
/// clock advance replays the retries due in its window at their own instants.
/// </summary>
public sealed class CallJobs
{
    readonly FliggyBusServices _s;
    readonly FrozenDictionary<string, IQimenStep> _steps;
    readonly ILogger _log;

    public CallJobs(FliggyBusServices services, ILogger<CallJobs> log)
    {
        _s = services;
        _log = log;
        IQimenStep[] steps =
        [
            new FromCityStep(), new ToCityStep(), new NumberStep(), new OfflineNumberStep(),
            new CreateStep(), new ConfirmStep(), new QueryStep(), new CloseStep(), new ReturnQueryStep(), new ReturnConfirmStep(),
        ];
        _steps = steps.ToFrozenDictionary(s => s.Method, StringComparer.Ordinal);
        services.Engine.Timers.Handle(CallJob.Handler, FireAsync);
    }

    /// <summary>Schedules an attempt once <paramref name="uow"/> commits; due now, it starts right after the commit.</summary>
    public static void Schedule(FliggyBusServices s, UnitOfWork uow, CallJob job, long dueVirtualMs) =>
        s.Engine.Timers.Schedule(uow, job.ToTimer(dueVirtualMs));

    async ValueTask FireAsync(TimerRow timer, UnitOfWork uow)
    {
        var job = CallJob.From(timer);
        var run = job.SyncRunId is { } runId ? _s.SyncRuns.GetValueOrDefault(runId) : null;
        // A first attempt counts in its sync run until it ends; once it has, retries run on their own.
        var settle = () =>
        {
            _s.Waiters.Release(job.Tenant, job.Subject);
            if (job.Attempt == 1) run?.Ended();
        };
        var handedOver = false;
        try
        {
            if (_s.Engine.Tenants.Find(job.Tenant) is not { } tenant || !_steps.TryGetValue(job.Method, out var step)) return;
            var resolved = _s.Resolve(tenant);
            if (resolved.Value is not { } bus)
            {
                _log.LogWarning("fliggybus {Tenant}: {Method} for {Subject} not sent: {Errors}", job.Tenant, job.Method, job.Subject,
                    string.Join("; ", resolved.Errors));
                return;
            }
            var order = IsOrderCall(job.Method) ? _s.Orders.Get(job.Tenant, job.Subject) : null;
            if (IsOrderCall(job.Method) && order is null) return;
            var scope = new JobScope(_s, bus, job, uow, order, run);
            CallRequest? request;
            lock (Gate(scope)) request = step.Prepare(scope);
            if (request is null) return;

            var call = await bus.Calls.CallAsync(job.Method, request.Body, request.Context);
            var policy = bus.Settings.PolicyFor(job.Method);
            _s.CallLog.Record(job.Tenant, call, job.Attempt, policy.Attempts, order is null ? null : FliggyBusServices.OrderKey(order.Id), scope.NowMs);
            run?.Called();
            lock (Gate(scope))
            {
                // The steps save what they change (through the lifecycle or a note); a retry or a cleared pending call
                // is saved here.
                var pendingChanged = order is not null && order.PendingCall?.Method == job.Method;
                if (pendingChanged) order!.PendingCall = null;
                var settled = call.Accepted && step.Accepted(scope, call);
                if (!settled)
                {
                    if (policy.DelayBefore(job.Attempt + 1) is { } delay)
                    {
                        Retry(scope, call, delay);
                        pendingChanged = order is not null;
                    }
                    else step.GaveUp(scope, call);
                }
                if (pendingChanged) _s.Orders.Save(uow, job.Tenant, order!);
            }
            if (!scope.ContinuesAtOnce) uow.AfterCommit(settle);
            else if (job.Attempt == 1) uow.AfterCommit(() => run?.Ended());
            handedOver = true;
        }
        finally
        {
            if (!handedOver) settle();
        }
    }

    /// <summary>The next attempt after the policy's delay; the order shows it meanwhile, the sync run lists it.</summary>
    void Retry(JobScope scope, QimenCall call, TimeSpan delay)
    {
        var due = scope.NowMs + (long)delay.TotalMilliseconds;
        var next = scope.Job.Next();
        Schedule(_s, scope.Uow, next, due);
        var why = CallLog.Describe(call);
        if (scope.Order is { } order)
        {
            order.PendingCall = new PendingCall(next.Method, next.Attempt, due, call.Verdict);
            scope.S.Engine.Timeline(scope.Uow, scope.Tenant, FliggyBusServices.OrderKey(order.Id), "retry", new JsonObject
            {
                ["method"] = next.Method, ["attempt"] = next.Attempt, ["at"] = DateTimeOffset.FromUnixTimeMilliseconds(due).ToString("O"), ["because"] = why,
            });
        }
        scope.Run?.Problem($"{next.Method} {scope.Job.Subject}: {why}; attempt {next.Attempt} at {DateTimeOffset.FromUnixTimeMilliseconds(due):O}");
    }

    static bool IsOrderCall(string method) => method is QimenMethods.OrderCreate or QimenMethods.OrderConfirm or QimenMethods.OrderQuery
        or QimenMethods.OrderClose or QimenMethods.ReturnQuery or QimenMethods.ReturnConfirm;

    /// <summary>An order's calls and the order's other changes take turns; catalogue calls take turns per tenant catalogue.</summary>
    static object Gate(JobScope scope) => (object?)scope.Order ?? scope.S.Catalogues.For(scope.Tenant);
}
