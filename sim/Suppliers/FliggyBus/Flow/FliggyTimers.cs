using Microsoft.Extensions.Logging;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.FliggyBus.Model;
using Sandbox.Suppliers.FliggyBus.Qimen;

namespace Sandbox.Suppliers.FliggyBus.Flow;

/// <summary>
/// Fliggy's own clocks on the tenant's virtual time, as durable timers: an unpaid order's payment deadline
/// (<c>PaymentTimeout</c>), an order waiting for bookticket.confirm (<c>TicketingTimeout</c>), the stopped-schedule
/// poll, and the simulated customers (a scheduled booking, its payment, its refund). A timer whose order moved on
/// meanwhile does nothing.
/// </summary>
public sealed class FliggyTimers
{
    public const string Handler = "fliggybus.timer";

    const string Payment = "payment-deadline";
    const string Ticketing = "ticketing-timeout";
    const string OfflinePoll = "offline-poll";
    const string Book = "customer-book";
    const string Pay = "customer-pay";
    const string Refund = "customer-refund";

    readonly FliggyBusServices _s;
    readonly Customers _customers;
    readonly ILogger _log;

    public FliggyTimers(FliggyBusServices services, Customers customers, ILogger<FliggyTimers> log)
    {
        _s = services;
        _customers = customers;
        _log = log;
        services.Engine.Timers.Handle(Handler, FireAsync);
    }

    static TimerRow Row(string tenant, string kind, string subject, string expect, long due) =>
        new(DurableTimers.Id(tenant, $"{FliggyBusServices.Supplier}:{kind}:{subject}"), tenant, Handler, FliggyBusServices.Supplier, kind, subject, expect, "", null, due);

    public static void ArmPaymentDeadline(FliggyBusServices s, UnitOfWork uow, string tenant, BusOrder order) =>
        s.Engine.Timers.Schedule(uow, Row(tenant, Payment, order.Id, OrderStatus.AwaitingPayment, order.PaymentDeadlineMs));

    public static void CancelPaymentDeadline(FliggyBusServices s, UnitOfWork uow, string tenant, BusOrder order) =>
        s.Engine.Timers.Cancel(uow, Row(tenant, Payment, order.Id, "", 0).Id);

    public static void ArmTicketingTimeout(FliggyBusServices s, BusTenant bus, UnitOfWork uow, BusOrder order, long nowMs) =>
        s.Engine.Timers.Schedule(uow, Row(bus.Id, Ticketing, order.Id, OrderStatus.AwaitingTickets, nowMs + (long)bus.Settings.TicketingTimeout.TotalMilliseconds));

    /// <summary>Starts the stopped-schedule poll once the tenant has a catalogue (a restart re-arms it from the store).</summary>
    public static void ArmOfflinePolling(FliggyBusServices s, BusTenant bus, UnitOfWork uow, long nowMs)
    {
        if (!s.PollingArmed.TryAdd(bus.Id, 0)) return;
        s.Engine.Timers.Schedule(uow, Row(bus.Id, OfflinePoll, "*", "", nowMs + (long)bus.Settings.OfflinePolling.TotalMilliseconds));
    }

    public static void ArmCustomerBooking(FliggyBusServices s, UnitOfWork uow, string tenant, long due) =>
        s.Engine.Timers.Schedule(uow, Row(tenant, Book, "*", "", due));

    public static void ArmCustomerPayment(FliggyBusServices s, UnitOfWork uow, string tenant, BusOrder order, long due) =>
        s.Engine.Timers.Schedule(uow, Row(tenant, Pay, order.Id, OrderStatus.AwaitingPayment, due));

    public static void ArmCustomerRefund(FliggyBusServices s, UnitOfWork uow, string tenant, BusOrder order, long due) =>
        s.Engine.Timers.Schedule(uow, Row(tenant, Refund, order.Id, OrderStatus.Issued, due));

    async ValueTask FireAsync(TimerRow timer, UnitOfWork uow)
    {
        if (_s.Engine.Tenants.Find(timer.Tenant) is not { } tenant) return;
        if (_s.Resolve(tenant).Value is not { } bus)
        {
            _log.LogWarning("fliggybus {Tenant}: {Timer} skipped, the tenant's Fliggy bus configuration is incomplete", timer.Tenant, timer.Kind);
            return;
        }
        var now = _s.Engine.Clock.NowMs(bus.Id);
        switch (timer.Kind)
        {
            case OfflinePoll:
                _s.PollingArmed[bus.Id] = 0;
                CallJobs.Schedule(_s, uow, new CallJob(bus.Id, QimenMethods.OfflineNumberQuery, "*", 1), now);
                _s.Engine.Timers.Schedule(uow, timer with { DueVirtualMs = now + (long)bus.Settings.OfflinePolling.TotalMilliseconds });
                return;
            case Book:
                await _customers.BookAsync(bus, uow, now);
                return;
        }
        if (_s.Orders.Get(bus.Id, timer.EntityId) is not { } order) return;
        lock (order)
        {
            if (order.Status != timer.From) return;
            switch (timer.Kind)
            {
                case Payment when !order.Paid:
                    OrderEvents.Offer(_s, bus, order, new BusEvent(BusEvents.PaymentTimeout), uow, "the payment deadline passed");
                    break;
                case Ticketing:
                    order.Note = $"no taobao.bus.agent.bookticket.confirm within {bus.Settings.TicketingTimeout}: closed, the user refunded";
                    OrderEvents.Offer(_s, bus, order, new BusEvent(BusEvents.TicketingTimeout), uow, "the ticketing timeout passed");
                    break;
                case Pay when !order.Paid:
                    Customers.Pay(_s, bus, order, uow, now);
                    break;
                case Refund when order.Refund is null:
                    Customers.AskRefund(_s, bus.Id, order, uow, order.Tickets.Where(t => t.Status == TicketStatus.Issued).Select(t => t.PassengerId).ToList());
                    break;
            }
        }
    }
}
