using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Sandbox.Admin;

public static class AdminUi
{
    static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>
    /// The QA console: static files (an HTML page and JavaScript modules, no build step) from the assembly's
    /// Admin/wwwroot under /admin/, talking to the admin API only. Files are revalidated on each load, so a new
    /// version of the sandbox is picked up without clearing the browser's cache.
    /// </summary>
    public static IEndpointRouteBuilder MapAdminUi(this IEndpointRouteBuilder app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, "Admin", "wwwroot");
        var files = Directory.Exists(root) ? new PhysicalFileProvider(root) : null;
        // Routing treats /admin and /admin/ alike: one endpoint, redirecting to the slash form the page's links expect.
        app.MapGet("/admin/", (HttpContext http) =>
            !http.Request.Path.Value!.EndsWith('/') ? Results.Redirect("/admin/") : Serve(http, files, "index.html")).ExcludeFromDescription();
        app.MapGet("/admin/{**file}", (HttpContext http, string file) => Serve(http, files, file)).ExcludeFromDescription();
        return app;
    }

    static IResult Serve(HttpContext http, PhysicalFileProvider? files, string name)
    {
        // An admin API path no endpoint matched stays a problem report, not a page.
        if (name.StartsWith("api/", StringComparison.Ordinal) || name == "api")
            return TypedResults.Problem(Engine.Pipeline.AdminProblem.Of(StatusCodes.Status404NotFound, $"no admin API endpoint {http.Request.Method} {http.Request.Path}"));
        var file = files?.GetFileInfo(name);
        if (file is not { Exists: true, IsDirectory: false, PhysicalPath: { } path }) return Results.NotFound();
        var headers = http.Response.Headers;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";
        return Results.File(path, ContentTypes.TryGetContentType(name, out var type) ? type : "application/octet-stream", enableRangeProcessing: false,
            lastModified: file.LastModified);
    }
}
