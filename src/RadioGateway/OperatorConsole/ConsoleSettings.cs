using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Hosting;

namespace RadioGateway.OperatorConsole;

/// <summary>Checks <c>Console:*</c> before anything listens: plain HTTP only on loopback unless allowed, certificate files readable.</summary>
public static class ConsoleSettings
{
    public static void Validate(ConsoleOptions console, string? configFile, List<ConfigurationProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(problems);
        var urls = Urls(console);
        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host) || uri.AbsolutePath != "/")
            {
                problems.Add(new("Console:Urls", $"'{url}' is not of the form http://host:port or https://host:port"));
            }
            else if (uri.Scheme == "http" && !console.AllowInsecure && !IsLoopback(uri.Host))
            {
                problems.Add(new("Console:Urls", $"refusing plain HTTP on '{uri.Host}', which is not loopback: passwords and session cookies would cross the network unencrypted. Use https:// with Console:CertificateFile or set Console:AllowInsecure=true"));
            }
            else if (uri.Scheme == "https" && string.IsNullOrEmpty(console.CertificateFile))
            {
                problems.Add(new("Console:CertificateFile", $"is empty but Console:Urls has '{url}'; name a PEM certificate"));
            }
        }

        foreach (var (key, file) in new[] { ("Console:CertificateFile", console.CertificateFile), ("Console:KeyFile", console.KeyFile), ("Console:MapFile", console.MapFile), ("Console:CannedMessagesFile", console.CannedMessagesFile) })
        {
            if (!string.IsNullOrEmpty(file) && !File.Exists(GatewayConfiguration.ResolvePath(file, configFile)))
            {
                problems.Add(new(key, $"file '{GatewayConfiguration.ResolvePath(file, configFile)}' does not exist"));
                return;
            }
        }

        if (!string.IsNullOrEmpty(console.CannedMessagesFile) && CannedMessages(console, configFile, out var problem) is null)
        {
            problems.Add(new("Console:CannedMessagesFile", problem!));
        }

        if (!string.IsNullOrEmpty(console.CertificateFile))
        {
            try
            {
                LoadCertificate(console, configFile).Dispose();
            }
            catch (CryptographicException e)
            {
                problems.Add(new("Console:CertificateFile", $"not a usable PEM certificate and key: {e.Message}"));
            }
        }
    }

    /// <summary>The configured URLs; none when <c>Console:Urls</c> is empty (console off).</summary>
    public static IReadOnlyList<string> Urls(ConsoleOptions console)
    {
        ArgumentNullException.ThrowIfNull(console);
        return console.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>The ready-made texts, or null with the problem (not a JSON array of 1–280 character strings).</summary>
    public static IReadOnlyList<string>? CannedMessages(ConsoleOptions console, string? configFile, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(console);
        problem = null;
        if (string.IsNullOrEmpty(console.CannedMessagesFile))
        {
            return [];
        }

        var path = GatewayConfiguration.ResolvePath(console.CannedMessagesFile, configFile);
        try
        {
            var texts = System.Text.Json.JsonSerializer.Deserialize(File.ReadAllText(path), GatewayJson.Files.TypeInfo<List<string>>());
            var bad = texts?.FindIndex(t => string.IsNullOrWhiteSpace(t) || t.Length > 280);
            if (texts is null || bad >= 0)
            {
                problem = $"'{path}': entry {bad} is empty or longer than 280 characters (one radio message)";
                return null;
            }

            return texts;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException)
        {
            problem = $"'{path}' is not a JSON array of texts: {e.Message}";
            return null;
        }
    }

    public static X509Certificate2 LoadCertificate(ConsoleOptions console, string? configFile)
    {
        ArgumentNullException.ThrowIfNull(console);
        var certificate = GatewayConfiguration.ResolvePath(console.CertificateFile, configFile);
        var key = string.IsNullOrEmpty(console.KeyFile) ? null : GatewayConfiguration.ResolvePath(console.KeyFile, configFile);
        return X509Certificate2.CreateFromPemFile(certificate, key);
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
