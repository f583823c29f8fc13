using Microsoft.Playwright;
using Sandbox.Tests.Infrastructure;

namespace Sandbox.Tests.QaConsole;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium, installed by .ci/run) driven by Playwright, one browser per test class; never a
/// downloaded browser. Without Chromium the browser tests report themselves skipped.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";

    public static bool Available => File.Exists(Executable);

    IPlaywright? _playwright;
    IBrowser? _browser;
    string? _profile;

    public async Task InitializeAsync()
    {
        if (!Available) return;
        _playwright = await Playwright.CreateAsync();
        _profile = Directory.CreateTempSubdirectory("sandbox-chromium-").FullName;
        // A persistent context is how Playwright takes a user-data-dir: a new, empty one per run.
        var context = await _playwright.Chromium.LaunchPersistentContextAsync(_profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        _browser = context.Browser;
        Context = context;
    }

    /// <summary>The browser's one context; each test opens its own page in it after clearing the session's state.</summary>
    public IBrowserContext Context { get; private set; } = null!;

    public async Task<IPage> NewPageAsync()
    {
        await Context.ClearCookiesAsync();
        var page = await Context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Context is not null) await Context.CloseAsync();
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        if (_profile is not null)
            try { Directory.Delete(_profile, true); }
            catch (IOException) { }
    }

    /// <summary>
    /// Saves a screenshot under TestResults/console/ (where .ci/run keeps the test results); with
    /// SANDBOX_DOC_SCREENSHOTS=1 also as docs/images/console-{name}.png, the pictures of docs/console.md.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var dir = Path.Combine(RepoPaths.Root, "TestResults", "console");
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = false });
        if (Environment.GetEnvironmentVariable("SANDBOX_DOC_SCREENSHOTS") == "1")
            File.Copy(file, Path.Combine(RepoPaths.Root, "docs", "images", "console-" + name + ".png"), overwrite: true);
    }
}
