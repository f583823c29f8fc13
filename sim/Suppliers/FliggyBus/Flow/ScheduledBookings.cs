using Microsoft.Extensions.Hosting;

namespace Sandbox.Suppliers.FliggyBus.Flow;

/// <summary>
/// Starts the simulated customers' scheduled bookings (the scenario's <c>settings.bookings</c>) of tenants that have
/// them and have not started yet — looked at every few seconds, so a tenant that selects such a scenario set sees
/// traffic without scripting it. Once started, the booking timer re-arms itself on the tenant's virtual clock (and
/// stops when the setting goes away).
/// </summary>
public sealed class ScheduledBookings(FliggyBusServices s) : BackgroundService
{
    static readonly TimeSpan Look = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Look);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await ArmAsync();
        }
        catch (OperationCanceledException)
        {
        }
    }

    async Task ArmAsync()
    {
        foreach (var tenant in s.Engine.Tenants.All)
        {
            if (s.BookingsArmed.ContainsKey(tenant.Id) || s.Resolve(tenant).Value is not { Settings.Bookings: { } plan } bus) continue;
            s.BookingsArmed[bus.Id] = 0;
            var uow = s.Engine.NewUnitOfWork();
            FliggyTimers.ArmCustomerBooking(s, uow, bus.Id, s.Engine.Clock.NowMs(bus.Id) + (long)plan.Every.TotalMilliseconds);
            await uow.CommitAsync();
        }
    }
}
