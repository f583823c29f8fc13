using Sandbox.Engine;

namespace Sandbox.Suppliers.Bpt;

public static class BptSetup
{
    public static IServiceCollection AddBpt(this IServiceCollection services) =>
        services.AddSupplier<BptSupplier, BptServices>(BptServices.Supplier);
}
