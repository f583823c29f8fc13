namespace Sandbox.Admin;

public static class AdminUi
{
    /// <summary>The admin web UI: one static page over the admin API, served from the assembly's wwwroot.</summary>
    public static IEndpointRouteBuilder MapAdminUi(this IEndpointRouteBuilder app)
    {
        var page = Path.Combine(AppContext.BaseDirectory, "Admin", "wwwroot", "index.html");
        // Routing treats /admin and /admin/ alike: one endpoint, redirecting to the slash form the page's links expect.
        app.MapGet("/admin/", (HttpRequest request) =>
            !request.Path.Value!.EndsWith('/') ? Results.Redirect("/admin/")
            : File.Exists(page) ? Results.File(page, "text/html; charset=utf-8")
            : Results.NotFound()).ExcludeFromDescription();
        return app;
    }
}
