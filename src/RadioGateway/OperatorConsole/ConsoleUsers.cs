using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using RadioGateway.Core.CloudEvents;
using RadioGateway.Hosting;

namespace RadioGateway.OperatorConsole;

/// <summary>Console roles: operators and technicians act; viewers only watch.</summary>
public static class ConsoleRoles
{
    public const string Operator = "operator";
    public const string Technician = "technician";
    public const string Viewer = "viewer";

    public static readonly string[] All = [Operator, Technician, Viewer];

    /// <summary>Roles allowed to key the transmitter or acknowledge emergencies.</summary>
    public static readonly string[] Acting = [Operator, Technician];
}

/// <summary>One console account as stored: the password only as a <see cref="PasswordHasher{TUser}"/> hash (PBKDF2).</summary>
public sealed record ConsoleUser(string Name, string Role, string PasswordHash);

/// <summary>
/// Console accounts in <c>console-users.json</c> in the data directory (mode 0600). Read on every sign-in, so
/// <c>radiogw console add-user</c> takes effect without a restart.
/// </summary>
public sealed partial class ConsoleUsers(string dataDirectory)
{
    public const string FileName = "console-users.json";
    private static readonly PasswordHasher<ConsoleUser> Hasher = new();

    public string FilePath { get; } = Path.Combine(dataDirectory, FileName);

    public IReadOnlyList<ConsoleUser> Load() =>
        File.Exists(FilePath) ? JsonSerializer.Deserialize(File.ReadAllText(FilePath), GatewayJson.Files.TypeInfo<List<ConsoleUser>>()) ?? [] : [];

    /// <summary>Adds or replaces an account; returns a problem naming what is wrong, or null.</summary>
    public string? Save(string name, string role, string password)
    {
        if (!NamePattern().IsMatch(name))
        {
            return $"user name '{name}' may only contain letters, digits, '.', '_' and '-' (1–64 characters)";
        }

        if (!ConsoleRoles.All.Contains(role, StringComparer.Ordinal))
        {
            return $"role '{role}' is not one of {string.Join(", ", ConsoleRoles.All)}";
        }

        if (password.Length < 8)
        {
            return "the password needs at least 8 characters";
        }

        var user = new ConsoleUser(name, role, "");
        user = user with { PasswordHash = Hasher.HashPassword(user, password) };
        var users = Load().Where(u => !u.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Append(user).ToList();
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        var temporary = FilePath + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(users, GatewayJson.Files.TypeInfo<List<ConsoleUser>>()));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, FilePath, overwrite: true);
        return null;
    }

    /// <summary>The account when name and password match, else null.</summary>
    public ConsoleUser? Verify(string name, string password)
    {
        var user = Load().FirstOrDefault(u => u.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (user is null)
        {
            // The same work as a real check, so a wrong name takes as long as a wrong password.
            Hasher.VerifyHashedPassword(new ConsoleUser(name, "", ""), DummyHash.Value, password);
            return null;
        }

        return Hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed ? null : user;
    }

    private static readonly Lazy<string> DummyHash = new(() => Hasher.HashPassword(new ConsoleUser("", "", ""), Guid.NewGuid().ToString()));

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();
}
