using DbIntegrity.IntegrationTests.Infrastructure;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace DbIntegrity.IntegrationTests.Serving;

/// <summary>
/// Debian's chromium and chromium-driver, headless, with a fresh profile. Selenium is given both paths and
/// SE_OFFLINE, so Selenium Manager never downloads a browser or a driver; tools/test.sh installs the packages.
/// </summary>
internal sealed class HeadlessChromium : IDisposable
{
    public const string Browser = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    private readonly TempDirectory _profile = new();
    private readonly ChromeDriverService _service;

    public HeadlessChromium()
    {
        if (!File.Exists(Browser) || !File.Exists(DriverPath))
        {
            Assert.Fail($"{Browser} or {DriverPath} is missing: install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; tools/test.sh does this).");
        }

        Environment.SetEnvironmentVariable("SE_OFFLINE", "true");
        _service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        _service.SuppressInitialDiagnosticInformation = true;
        _service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Browser };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", $"--user-data-dir={_profile.Root}");
        WebDriver = new ChromeDriver(_service, options, TimeSpan.FromSeconds(60));
    }

    public IWebDriver WebDriver { get; }

    public void Dispose()
    {
        WebDriver.Quit();
        WebDriver.Dispose();
        _service.Dispose();
        _profile.Dispose();
    }
}
