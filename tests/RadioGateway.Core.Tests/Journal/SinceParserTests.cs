using RadioGateway.Core.Journal;

namespace RadioGateway.Core.Tests.Journal;

public sealed class SinceParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("90s", "2026-03-01T11:58:30Z")]
    [InlineData("15m", "2026-03-01T11:45:00Z")]
    [InlineData("2h", "2026-03-01T10:00:00Z")]
    [InlineData("1h30m", "2026-03-01T10:30:00Z")]
    [InlineData("7d", "2026-02-22T12:00:00Z")]
    [InlineData("1W", "2026-02-22T12:00:00Z")]
    [InlineData("2026-03-01T08:15:30Z", "2026-03-01T08:15:30Z")]
    [InlineData("2026-03-01T11:45:30+03:30", "2026-03-01T08:15:30Z")]
    [InlineData("2026-03-01T08:15:30.250Z", "2026-03-01T08:15:30.250Z")]
    [InlineData("2026-03-01 08:15", "2026-03-01T08:15:00Z")]
    [InlineData("2026-02-28", "2026-02-28T00:00:00Z")]
    public void TryParse_reads_durations_back_from_now_and_times_as_utc(string text, string expected)
    {
        Assert.True(SinceParser.TryParse(text, Now, out var since, out var error), error);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), since);
        Assert.Equal(TimeSpan.Zero, since.Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("15")]
    [InlineData("m15")]
    [InlineData("15x")]
    [InlineData("-15m")]
    [InlineData("9999999d")]
    [InlineData("yesterday")]
    [InlineData("2026-13-01")]
    public void TryParse_rejects_text_that_is_neither_with_a_message(string text)
    {
        Assert.False(SinceParser.TryParse(text, Now, out _, out var error));

        Assert.Contains("--since", error, StringComparison.Ordinal);
    }
}
