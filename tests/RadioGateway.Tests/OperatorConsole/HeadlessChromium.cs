using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using RadioGateway.Testing;
using Xunit.Abstractions;

namespace RadioGateway.Tests.OperatorConsole;

/// <summary>Debian's chromium through chromium-driver, headless, with screenshots kept under the test output's artifacts/console.</summary>
internal sealed class HeadlessChromium : IDisposable
{
    private readonly ChromeDriverService _service;
    private readonly ITestOutputHelper _output;
    private readonly string _artifacts;

    public HeadlessChromium(ITestOutputHelper output, TimeSpan patience)
    {
        _output = output;
        var chromium = ExternalTool.Require("chromium", "chromium");
        var driverPath = ExternalTool.Require("chromedriver", "chromium-driver");
        _artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts", "console")).FullName;
        output.WriteLine($"screenshots: {_artifacts}");
        _service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driverPath), Path.GetFileName(driverPath));
        _service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,900", "--lang=fa");
        Driver = new ChromeDriver(_service, options, TimeSpan.FromSeconds(60));
        Wait = new WebDriverWait(Driver, patience) { PollingInterval = TimeSpan.FromMilliseconds(100) };
        Wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
    }

    public ChromeDriver Driver { get; }

    public WebDriverWait Wait { get; }

    public void Screenshot(string name)
    {
        var path = Path.Combine(_artifacts, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        _output.WriteLine($"screenshot: {path}");
    }

    public void SignIn(string name, string password)
    {
        Wait.Until(d => d.FindElement(By.Id("name"))).SendKeys(name);
        Driver.FindElement(By.Id("password")).SendKeys(password);
        Driver.FindElement(By.Id("signin-button")).Click();
        Wait.Until(d => d.FindElement(By.Id("user")).Text.Contains(name, StringComparison.Ordinal));
    }

    public static T Script<T>(IWebDriver driver, string script, params object[] arguments) =>
        (T)((IJavaScriptExecutor)driver).ExecuteScript(script, arguments)!;

    public T ScriptAsync<T>(string script) => (T)Driver.ExecuteAsyncScript(script)!;

    public void Dispose()
    {
        Driver.Dispose();
        _service.Dispose();
    }
}
