using Sandbox.Admin;
using Sandbox.Admin.OpenApi;
using Sandbox.Engine;
using Sandbox.Engine.Inbox;
using Sandbox.Engine.Pipeline;
using Sandbox.Suppliers.Bpt;
using Sandbox.Suppliers.FliggyBus;
using Sandbox.Suppliers.FliggyFlight;
using Sandbox.Suppliers.TechHouse;
using Sandbox.Suppliers.Top.Tmc;
using Sandbox.Suppliers.Top;
using Sandbox.Suppliers.Yobaoxing;

namespace Sandbox;

/// <summary>Composition of the server: configuration, engine, supplier modules, admin API. Tests build it the same way.</summary>
public static class SandboxApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // GB2312/GBK for the suppliers that speak it (BPT, Yobaoxing's legacy edition).
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        // appsettings.json ships next to the binary: load it from there whatever the working directory is.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        var options = builder.Configuration.GetSection("Sandbox").Get<SandboxOptions>() ?? new SandboxOptions();
        var urls = builder.Configuration["urls"] is { Length: > 0 } u ? u.Split(';') : [options.Listen];
        AdminAuth.EnsureSafeBinding(urls.Concat(options.Listeners.Values), options.AdminToken);
        var listeners = new Listeners.Table();
        var doors = new FrontDoor();
        builder.Services.AddSingleton(listeners);
        builder.Services.AddSingleton(doors);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 4 * 1024 * 1024;
            foreach (var url in urls) Listeners.Listen(k, listeners, doors, Listeners.Main, url);
            foreach (var (name, url) in options.Listeners) Listeners.Listen(k, listeners, doors, name, url);
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        builder.Services.AddSandboxEngine(builder.Configuration);
        builder.Services.AddTechHouse();
        builder.Services.AddYobaoxing();
        builder.Services.AddBpt();
        builder.Services.AddTopGateway();
        builder.Services.AddFliggyFlight();
        builder.Services.AddFliggyBus();
        builder.Services.AddTmc(builder.Configuration);
        builder.Services.AddAdminApi();
        builder.Services.AddSandboxOpenApi();

        var app = builder.Build();
        // Supplier requests never get here (the pipeline answers in the supplier's format); this keeps an unexpected
        // admin failure a problem report rather than an empty 500.
        app.UseExceptionHandler(error => error.Run(ctx =>
        {
            ctx.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return ctx.Response.WriteAsJsonAsync(AdminProblem.Of(StatusCodes.Status500InternalServerError, "internal error; see the server log"),
                (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
        }));
        // Before routing, so that every request reaching the application is counted, even one routing fails on.
        app.UseFrontDoor();
        app.UseRouting();
        app.MapSandboxOpenApi();
        app.MapAdminApi();
        app.MapAdminUi();
        app.MapInbox();
        app.MapTmc();
        return app;
    }
}
