using RadioGateway.Simulator.Modem;

namespace RadioGateway.Tests.EndToEnd;

public sealed class SimulatedAnswerBackoffTests
{
    [Fact]
    public void Simulated_radios_answer_after_a_seeded_random_back_off_in_whole_frames_not_all_at_once()
    {
        var delays = Enumerable.Range(0, 50).Select(_ => new AnswerBackoff(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1), seed: 11)).Select(b => b.Next()).ToList();
        Assert.Single(delays.Distinct()); // one seed, one sequence: deterministic

        var backoff = new AnswerBackoff(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1), seed: 11);
        var drawn = Enumerable.Range(0, 50).Select(_ => backoff.Next()).ToList();
        Assert.All(drawn, d => Assert.InRange(d, TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300 + 960)));
        Assert.All(drawn, d => Assert.Equal(0, (d - TimeSpan.FromMilliseconds(300)).Ticks % TimeSpan.FromMilliseconds(60).Ticks));
        Assert.True(drawn.Distinct().Count() > 10, "answers spread over many frames");
    }

    [Fact]
    public void The_default_back_off_keeps_answers_inside_the_gateways_data_acknowledgement_timeout()
    {
        var options = new SimulatedModemOptions();

        Assert.True(options.AnswerBackoff > TimeSpan.Zero);
        Assert.True(options.AnswerDelay + options.AnswerBackoff < TimeSpan.FromSeconds(2));
    }
}
