using Microsoft.Extensions.Configuration;
using RadioGateway.Core.Store;

namespace RadioGateway.Hosting;

/// <summary><c>Journal:*</c>, bound and checked with the other sections.</summary>
public static partial class GatewaySettingsLoader
{
    private static JournalRetentionOptions LoadJournal(IConfiguration configuration, List<ConfigurationProblem> problems)
    {
        var journal = Bind<JournalRetentionOptions>(configuration.GetSection(JournalRetentionOptions.Section), problems);
        void AtLeast(string key, int value, int min)
        {
            if (value < min)
            {
                problems.Add(new($"{JournalRetentionOptions.Section}:{key}", $"{value} is less than {min}"));
            }
        }

        AtLeast(nameof(journal.RetentionDays), journal.RetentionDays, 0);
        AtLeast(nameof(journal.MaxSizeMB), journal.MaxSizeMB, 0);
        AtLeast(nameof(journal.BatchSize), journal.BatchSize, 1);
        AtLeast(nameof(journal.IntervalMinutes), journal.IntervalMinutes, 1);
        return journal;
    }
}
