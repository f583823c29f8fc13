using Sandbox.Engine;
using Sandbox.Suppliers.Top;

namespace Sandbox.Suppliers.FliggyFlight;

public static class FliggyFlightSetup
{
    /// <summary>Registers the Fliggy flight module and contributes its methods to the TOP gateway (which must be added too).</summary>
    public static IServiceCollection AddFliggyFlight(this IServiceCollection services) =>
        services.AddSupplier<FliggyFlightSupplier, FliggyFlightServices>(FliggyFlightServices.Supplier).AddTopApi<FliggyFlightApi>();
}
