using Microsoft.Playwright;

namespace CleanProdFlow.Web.UiTests;

/// <summary>
/// One running web host and one headless Chromium (Debian's /usr/bin/chromium, driven by Playwright's bundled
/// driver: nothing is downloaded) shared by the UI tests. Without Chromium the tests are skipped with the reason —
/// unless CPF_REQUIRE_BROWSER=1 (CI), which makes them fail.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string RequireBrowserVariable = "CPF_REQUIRE_BROWSER";

    private IPlaywright? _playwright;

    public WebApp App { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Why the tests cannot run here; null when they can.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>Screenshots of every page the tests visit, for a person to look at.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            Unavailable = $"Chromium is not installed at {ChromiumPath} (Debian: apt-get install -y chromium; tests/run.sh installs it when it may)";
            return;
        }
        Directory.CreateDirectory(ScreenshotDirectory);
        App = await WebApp.StartAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>Skips the calling test when no browser is here (fails it under CPF_REQUIRE_BROWSER=1).</summary>
    public void RequireBrowser()
    {
        if (Unavailable is null)
            return;
        if (Environment.GetEnvironmentVariable(RequireBrowserVariable) == "1")
            throw new InvalidOperationException($"{RequireBrowserVariable}=1 but {Unavailable}");
        Skip.If(true, Unavailable);
    }

    /// <summary>A fresh browser session (its own cookies), in Chinese unless told otherwise, on the app's address.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(),
            Locale = "zh-CN",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (App is not null)
            await App.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
