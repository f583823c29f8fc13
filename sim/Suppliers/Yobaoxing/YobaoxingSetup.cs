using Sandbox.Engine;

namespace Sandbox.Suppliers.Yobaoxing;

public static class YobaoxingSetup
{
    public static IServiceCollection AddYobaoxing(this IServiceCollection services) =>
        services.AddSupplier<YobaoxingSupplier, YobaoxingServices>(YobaoxingServices.Supplier);
}
