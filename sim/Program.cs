using Sandbox.Admin;
using Sandbox.Engine;
using Sandbox.Suppliers.TechHouse;

var builder = WebApplication.CreateBuilder(args);
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
await app.StartSandboxAsync();
await app.RunAsync();

/// <summary>Lets the integration tests host the real server in-process.</summary>
public partial class Program;
