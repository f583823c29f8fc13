using Microsoft.AspNetCore.Builder;
using Sandbox.Engine;

namespace Sandbox.LoadTests.Callbacks;

/// <summary>
/// The sandbox in the generator's own process on a throw-away store (journal off, warnings only), started as the
/// server starts it: the callbacks mode uses its supplier modules to build real notifications. Disposing stops it
/// and deletes the store.
/// </summary>
internal sealed class InProcessSandbox : IAsyncDisposable
{
    readonly string _data;
    readonly bool _listening;

    public WebApplication App { get; }

    InProcessSandbox(WebApplication app, string data, bool listening)
    {
        App = app;
        _data = data;
        _listening = listening;
    }

    /// <param name="prefix">the scratch folder's name prefix</param>
    /// <param name="listen">when given, Kestrel listens there (main listener; the BPT listener on a free port)</param>
    public static async Task<InProcessSandbox> StartAsync(string prefix, Uri? listen = null)
    {
        var data = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        List<string> args =
        [
            "--Sandbox:DataPath", Path.Combine(data, "sandbox.db"), "--Sandbox:Journal:Enabled", "false", "--Logging:LogLevel:Default", "Warning",
        ];
        if (listen is not null) args.AddRange(["--urls", listen.GetLeftPart(UriPartial.Authority), "--Sandbox:Listeners:bpt", "http://127.0.0.1:0"]);
        var app = SandboxApp.Build([.. args]);
        await app.StartSandboxAsync();
        if (listen is not null) await app.StartAsync();
        return new InProcessSandbox(app, data, listen is not null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_listening) await App.StopAsync();
        await App.DisposeAsync();
        try { Directory.Delete(_data, true); }
        catch (IOException) { }
    }
}
