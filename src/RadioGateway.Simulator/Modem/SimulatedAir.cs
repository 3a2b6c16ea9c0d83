namespace RadioGateway.Simulator.Modem;

/// <summary>
/// The simulated base station's receive audio: what its speaker would play while the scenario's voice calls are on
/// the air. The modem marks every voice burst it plays on the shared clock (<see cref="Heard"/>); a capture renders
/// any past stretch of time from those marks (<see cref="Render"/>), so call timing and audio share one
/// <see cref="TimeProvider"/>. Each slot sounds as its own tone; announcements the gateway keys are kept apart
/// (<see cref="Transmitted"/>), as a base station does not hear its own transmitter.
/// </summary>
public sealed class SimulatedAir(TimeProvider time)
{
    /// <summary>A slot without a burst for this long has fallen silent (as the call tracker's frame time-out).</summary>
    public static readonly TimeSpan Silence = TimeSpan.FromSeconds(1);

    /// <summary>Tone of each slot's voice (Hz): slot 1, slot 2.</summary>
    public static readonly int[] SlotTones = [700, 1200];

    // Marks older than this are forgotten; a capture never looks back further.
    private static readonly TimeSpan Memory = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly List<(int Slot, DateTimeOffset From, DateTimeOffset To)> _voice = [];
    private readonly List<TimeSpan> _transmitted = [];

    /// <summary>
    /// A voice burst on <paramref name="slot"/> now: the slot sounds from its first burst until its terminator, or
    /// until <see cref="Silence"/> after its last burst, so a burst played late (a loaded machine) leaves no gap.
    /// </summary>
    public void Heard(int slot)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var last = _voice.FindLastIndex(v => v.Slot == slot);
            if (last >= 0 && _voice[last].To >= now)
            {
                _voice[last] = _voice[last] with { To = now + Silence };
            }
            else
            {
                _voice.Add((slot, now, now + Silence));
            }

            _voice.RemoveAll(v => v.To < now - Memory);
        }
    }

    /// <summary>The end of a call (terminator): its slot falls silent now.</summary>
    public void Ended(int slot)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var last = _voice.FindLastIndex(v => v.Slot == slot);
            if (last >= 0 && _voice[last].To > now)
            {
                _voice[last] = _voice[last] with { To = now };
            }
        }
    }

    /// <summary>Announcements the gateway transmitted on the simulated channel, by length.</summary>
    public IReadOnlyList<TimeSpan> Transmitted
    {
        get
        {
            lock (_lock)
            {
                return [.. _transmitted];
            }
        }
    }

    /// <summary>The gateway transmitted an announcement of <paramref name="length"/>; the field radios heard it.</summary>
    public void Transmit(TimeSpan length)
    {
        lock (_lock)
        {
            _transmitted.Add(length);
        }
    }

    /// <summary>Fills <paramref name="samples"/> (mono, 16-bit) with the receive audio from <paramref name="start"/>: each sounding slot's tone, else silence.</summary>
    public void Render(DateTimeOffset start, Span<short> samples, int sampleRate)
    {
        (int Slot, DateTimeOffset From, DateTimeOffset To)[] voice;
        lock (_lock)
        {
            voice = [.. _voice];
        }

        var ticksPerSample = TimeSpan.TicksPerSecond / (double)sampleRate;
        for (var i = 0; i < samples.Length; i++)
        {
            var at = start + TimeSpan.FromTicks((long)(i * ticksPerSample));
            var sum = 0.0;
            foreach (var (slot, from, to) in voice)
            {
                if (at >= from && at < to)
                {
                    // Phase from the clock, so a tone continues smoothly across blocks.
                    var seconds = (at - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;
                    sum += 6000 * Math.Sin(2 * Math.PI * SlotTones[slot - 1] * (seconds % 1.0));
                }
            }

            samples[i] = (short)Math.Clamp(sum, short.MinValue, short.MaxValue);
        }
    }
}
