using Sandbox.Admin;
using Sandbox.Engine;
using Sandbox.Suppliers.TechHouse;

namespace Sandbox;

/// <summary>Composition of the server: configuration, engine, supplier modules, admin API. Tests build it the same way.</summary>
public static class SandboxApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var options = builder.Configuration.GetSection("Sandbox").Get<SandboxOptions>() ?? new SandboxOptions();
        var urls = builder.Configuration["urls"] is { Length: > 0 } u ? u.Split(';') : [options.Listen];
        AdminAuth.EnsureSafeBinding(urls, options.AdminToken);
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 4 * 1024 * 1024;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        builder.Services.AddSandboxEngine(builder.Configuration);
        builder.Services.AddTechHouse();
        builder.Services.AddOpenApi();

        var app = builder.Build();
        app.MapOpenApi();
        app.MapAdminApi();
        app.MapAdminUi();
        return app;
    }
}
