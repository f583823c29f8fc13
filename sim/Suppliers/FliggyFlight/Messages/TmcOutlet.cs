using Microsoft.Extensions.Logging;
using Sandbox.Engine.Storage;
using Sandbox.Suppliers.Top.Tmc;

namespace Sandbox.Suppliers.FliggyFlight.Messages;

/// <summary>
/// Where the flight machines hand their TMC messages: the <see cref="ITmcPublisher"/> registered in DI, resolved on
/// first use. Without one (the TMC module is not part of this build) nothing is published and that is logged once.
/// </summary>
public sealed class TmcOutlet(IServiceProvider services, ILogger<TmcOutlet> log)
{
    readonly Lazy<ITmcPublisher?> _publisher = new(() => services.GetService(typeof(ITmcPublisher)) as ITmcPublisher);
    int _warned;

    /// <returns>the message id, or null when no publisher is registered</returns>
    public long? Publish(UnitOfWork uow, TmcPublication publication)
    {
        if (_publisher.Value is { } publisher) return publisher.Publish(uow, publication);
        if (Interlocked.Exchange(ref _warned, 1) == 0)
            log.LogWarning("no TMC publisher is registered: {Topic} and later TMC messages are not published", publication.Topic);
        return null;
    }
}
