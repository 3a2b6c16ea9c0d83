using System.CommandLine;
using RadioGateway.Core.Profiles;

namespace RadioGateway.Cli;

/// <summary>
/// <c>radiogw profile validate FILE…</c> — checks hardware and channel profiles, reporting every problem; every
/// hardware profile given is also checked against every channel profile given, as <c>run</c> checks the pair.
/// </summary>
public static class ProfileCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("FILE") { Description = "Hardware or channel profile files", Arity = ArgumentArity.OneOrMore };
        var validate = new Command("validate", "Check profiles, and each hardware/channel pair given as run would; exit 1 with file:line: key: message for every problem") { files };
        validate.SetAction(parse =>
        {
            var problems = 0;
            foreach (var file in parse.GetValue(files) ?? [])
            {
                var diagnostics = ProfileLoader.Validate(file.FullName);
                foreach (var diagnostic in diagnostics)
                {
                    Console.Error.WriteLine(diagnostic);
                }

                if (diagnostics.Count == 0)
                {
                    Console.WriteLine($"{file.FullName}: ok");
                }

                problems += diagnostics.Count;
            }

            foreach (var pairProblem in CrossCheckPairs(parse.GetValue(files) ?? []))
            {
                Console.Error.WriteLine(pairProblem);
                problems++;
            }

            return problems == 0 ? 0 : 1;
        });
        return new Command("profile", "Hardware and channel profiles") { validate };
    }

    private static IEnumerable<ProfileDiagnostic> CrossCheckPairs(IReadOnlyList<FileInfo> files)
    {
        var hardware = files.Select(f => (Path: f.FullName, Profile: ProfileLoader.LoadHardware(f.FullName, out _))).Where(h => h.Profile is not null).ToList();
        var channels = files.Select(f => (Path: f.FullName, Profile: ProfileLoader.LoadChannel(f.FullName, out _))).Where(c => c.Profile is not null).ToList();
        return hardware.SelectMany(h => channels.SelectMany(c => ProfileLoader.CrossCheck(h.Profile!, h.Path, c.Profile!, c.Path)));
    }
}
