using Sandbox.Engine.Callbacks;
using Sandbox.Engine.Clock;
using Sandbox.Engine.Journal;
using Sandbox.Engine.Machines;
using Sandbox.Engine.Pipeline;
using Sandbox.Engine.Rules;
using Sandbox.Engine.Scenarios;
using Sandbox.Engine.Storage;
using Sandbox.Engine.Tenants;

namespace Sandbox.Admin;

/// <summary>The engine services admin handlers call, injected as one parameter record.</summary>
public sealed record AdminServices(
    TenantRegistry Tenants,
    TenantAdministration Administration,
    VirtualClock Clock,
    ScenarioCatalog Scenarios,
    RuleEngine Rules,
    CallbackDispatcher Callbacks,
    RequestJournal Journal,
    EntityCatalog Entities,
    Lifecycle Lifecycle,
    SupplierPipeline Pipeline,
    IStore Store,
    IEnumerable<ISupplierModule> Modules);
