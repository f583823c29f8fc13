using System.Text.Json.Serialization;
using Sandbox.Engine.Storage;

namespace Sandbox.Admin;

/// <summary>
/// The admin API (ARCHITECTURE §9): one route group per area, each in its own file, under /admin/api with the admin
/// token check (<see cref="Engine.Pipeline.AdminRoutes.MapAdminGroup"/>); modules add their own areas through
/// <c>ISupplierModule.MapAdminEndpoints</c>. Errors are problem details (<see cref="Engine.Pipeline.AdminProblem"/>).
/// </summary>
public static class AdminApi
{
    /// <summary>The admin API writes JSON as the store does (<see cref="StoreJson.Options"/>): camelCase, Chinese readable, no nulls, enum names.</summary>
    public static IServiceCollection AddAdminApi(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Encoder = StoreJson.Options.Encoder;
            o.SerializerOptions.DefaultIgnoreCondition = StoreJson.Options.DefaultIgnoreCondition;
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
        });

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapServerApi();
        app.MapTenantsApi();
        app.MapEntitiesApi();
        app.MapClockApi();
        app.MapCallbacksApi();
        app.MapJournalApi();
        app.MapScenariosApi();
        app.MapFaultsApi();
        app.MapMessagesApi();
        app.MapEventsApi();
        app.MapInboxApi();
        app.MapSignaturesApi();
        return app;
    }
}
