using Sandbox.Engine;

namespace Sandbox.Suppliers.TechHouse;

public static class TechHouseSetup
{
    public static IServiceCollection AddTechHouse(this IServiceCollection services) =>
        services.AddSupplier<TechHouseSupplier, TechHouseServices>(TechHouseServices.Supplier);
}
