using System.CommandLine;
using RadioGateway.Core.Profiles;

namespace RadioGateway.Cli;

/// <summary><c>radiogw profile validate FILE…</c> — checks hardware and channel profiles, reporting every problem.</summary>
public static class ProfileCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("FILE") { Description = "Hardware or channel profile files", Arity = ArgumentArity.OneOrMore };
        var validate = new Command("validate", "Check profiles; exit 1 with file:line: key: message for every problem") { files };
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

            return problems == 0 ? 0 : 1;
        });
        return new Command("profile", "Hardware and channel profiles") { validate };
    }
}
