using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;
using RadioGateway.Testing;
using Xunit.Abstractions;

namespace RadioGateway.Tests.OperatorConsole;

/// <summary>
/// The console in headless Chromium (Debian's chromium + chromium-driver) against a real <c>radiogw run --simulate</c>:
/// what an operator and a viewer see and can do. Screenshots are kept under the test output's artifacts/console.
/// </summary>
public sealed class ConsoleBrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task An_operator_sees_live_calls_positions_texts_and_emergencies_and_a_viewer_cannot_send()
    {
        using var gateway = await ConsoleGateway.StartAsync();
        using var chromium = new HeadlessChromium(output, Patience);
        var driver = chromium.Driver;
        var wait = chromium.Wait;
        void Screenshot(string name) => chromium.Screenshot(name);

        try
        {
            // Signed out, the console sends the browser to sign in.
            driver.Navigate().GoToUrl(gateway.Address);
            wait.Until(d => d.Url.Contains("/login", StringComparison.Ordinal));
            chromium.SignIn(ConsoleGateway.OperatorName, ConsoleGateway.OperatorPassword);
            Assert.Equal("rtl", driver.FindElement(By.TagName("html")).GetAttribute("dir"));

            // A live call with a Persian name (its first strong letter Persian: 'Team 4 شیراز' is rightly left-to-right
            // under the first-strong rule), laid out right-to-left. The page
            // redraws every second, so the element is found and measured in one script.
            var caller = wait.Until(d => HeadlessChromium.Script<string?>(d, """
                const name = [...document.querySelectorAll('#slots tr.call .unit-name')].find(e => /^[^A-Za-z\u0600-\u06FF]*[\u0600-\u06FF]/.test(e.textContent));
                return name ? getComputedStyle(name).direction + '|' + name.textContent : null;
                """));
            Assert.StartsWith("rtl|", caller, StringComparison.Ordinal);
            // Times in the Solar Hijri calendar (year 14xx in Persian digits); the English switch: left-to-right, Gregorian, UTC.
            wait.Until(d => HeadlessChromium.Script<bool>(d, "return [...document.querySelectorAll('#heard tr td:first-child')].some(e => /۱۴[۰-۹][۰-۹]/.test(e.textContent));"));
            Screenshot("now");
            driver.FindElement(By.Id("language")).Click();
            Assert.Equal("ltr", driver.FindElement(By.TagName("html")).GetAttribute("dir"));
            wait.Until(d => HeadlessChromium.Script<bool>(d, "return [...document.querySelectorAll('#heard tr td:first-child')].some(e => /20\\d\\d.* UTC$/.test(e.textContent));"));
            Screenshot("now-english");
            driver.FindElement(By.Id("language")).Click();
            Assert.Equal("rtl", driver.FindElement(By.TagName("html")).GetAttribute("dir"));

            // An emergency (the scenario's emergency CSBK and call) raises the banner; acknowledging clears it.
            var emergencyId = wait.Until(d => d.FindElement(By.CssSelector("#emergencies .banner")).GetAttribute("data-emergency"));
            Screenshot("emergency");
            wait.Until(d =>
            {
                d.FindElement(By.CssSelector($"#emergencies .banner[data-emergency='{emergencyId}'] button.acknowledge")).Click();
                return true;
            });
            wait.Until(d => d.FindElements(By.CssSelector($"#emergencies .banner[data-emergency='{emergencyId}']")).Count == 0);
            await gateway.Process.WaitForLineAsync(l => l.Contains("Console: ali acknowledged emergency " + emergencyId, StringComparison.Ordinal), Patience);

            // Locate a Hytera unit from the Teams page; its position appears as a marker on the map.
            driver.FindElement(By.CssSelector("button[data-tab='teams']")).Click();
            // The page redraws its rows every second, so a click can land on a row as it is replaced and be lost:
            // the gateway's log says when the request arrived, and the button is clicked again until it does.
            for (var attempt = 1; ; attempt++)
            {
                wait.Until(d =>
                {
                    d.FindElement(By.CssSelector("#teams tr[data-unit='3120106'] button.locate")).Click();
                    return true;
                });
                try
                {
                    await gateway.Process.WaitForLineAsync(l => l.Contains("asked for locate to 3120106", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
                    break;
                }
                catch (TimeoutException) when (attempt < 4)
                {
                    output.WriteLine($"locate click {attempt} did not reach the gateway; clicking again");
                }
            }

            driver.FindElement(By.CssSelector("button[data-tab='map']")).Click();
            wait.Until(d => d.FindElement(By.CssSelector(".unit-marker[data-unit='3120106']")).Displayed);
            Screenshot("map");

            // A Persian text to a unit; the simulated radio acknowledges it and the page shows delivered.
            const string message = "به مرکز برگردید، تیم ۱";
            driver.FindElement(By.CssSelector("button[data-tab='messages']")).Click();
            driver.FindElement(By.Id("compose-target")).SendKeys("3120101");
            driver.FindElement(By.Id("compose-text")).SendKeys(message);
            driver.FindElement(By.Id("compose-send")).Click();
            wait.Until(d => d.FindElements(By.CssSelector("#messages tr.message.out")).Any(row =>
                row.FindElement(By.CssSelector(".message-text")).Text == message
                && row.FindElements(By.CssSelector(".command-state[data-state='delivered']")).Count == 1));
            Screenshot("messages");

            // The conversation with that unit alone: the sent text and nothing of other units or groups.
            HeadlessChromium.Script<object?>(driver, "const s = document.getElementById('thread'); s.value = 'unit:3120101'; s.dispatchEvent(new Event('change'));");
            // The page redraws every second: rows are read inside the wait, which retries a row replaced meanwhile.
            wait.Until(d => d.FindElements(By.CssSelector("#messages tr.message")).All(row => row.GetAttribute("data-thread") == "unit:3120101")
                && d.FindElements(By.CssSelector("#messages tr.message.out .message-text")).Any(cell => cell.Text == message));
            Assert.Equal("3120101", driver.FindElement(By.Id("compose-target")).GetAttribute("value"));
            await gateway.Process.WaitForLineAsync(l => l.Contains("Simulated radio 3120101 received tms text " + message, StringComparison.Ordinal), Patience);

            // A viewer has no send box, and the API refuses a send made from the page anyway.
            driver.FindElement(By.Id("logout")).Click();
            wait.Until(d => d.Url.Contains("/login", StringComparison.Ordinal));
            chromium.SignIn(ConsoleGateway.ViewerName, ConsoleGateway.ViewerPassword);
            driver.FindElement(By.CssSelector("button[data-tab='messages']")).Click();
            Assert.False(driver.FindElement(By.Id("compose")).Displayed);
            var status = chromium.ScriptAsync<long>("""
                const done = arguments[arguments.length - 1];
                fetch('/api/antiforgery').then(r => r.json()).then(a => fetch('/api/commands', {
                  method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-TOKEN': a.token },
                  body: JSON.stringify({ action: 'text', target: 3120101, text: 'از بیننده' }) })).then(r => done(r.status));
                """);
            Assert.Equal(403, status);
            Screenshot("viewer");
        }
        catch (Exception)
        {
            // What the page and the gateway showed when a step failed, for the CI log and artefacts.
            Screenshot("failure");
            output.WriteLine("page at failure: " + driver.Url);
            output.WriteLine(gateway.Process.Output);
            throw;
        }
    }
}
