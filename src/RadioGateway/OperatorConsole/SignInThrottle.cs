namespace RadioGateway.OperatorConsole;

/// <summary>
/// Limits failed sign-ins per remote address: after <see cref="FailuresAllowed"/> failures within
/// <see cref="Window"/> the address is refused (429) until the oldest failure leaves the window. Successful
/// sign-ins never count, so a busy operator room behind one address is not locked out (OWASP ASVS 4.0 §2.2.1).
/// </summary>
public sealed class SignInThrottle(TimeProvider time)
{
    public const int FailuresAllowed = 10;

    /// <summary>Addresses remembered at most; the oldest are forgotten first (memory stays bounded under a spray of addresses).</summary>
    public const int AddressesKept = 10_000;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);
    private readonly Queue<string> _firstFailed = new();

    /// <summary>True while the address has used up its failures in the window.</summary>
    public bool IsBlocked(string address)
    {
        lock (_gate)
        {
            return _failures.TryGetValue(address, out var failures) && Current(failures) >= FailuresAllowed;
        }
    }

    public void Failed(string address)
    {
        lock (_gate)
        {
            if (!_failures.TryGetValue(address, out var failures))
            {
                if (_failures.Count >= AddressesKept)
                {
                    ForgetOldest();
                }

                _failures[address] = failures = new Queue<DateTimeOffset>();
                _firstFailed.Enqueue(address);
                if (_firstFailed.Count > 2 * AddressesKept)
                {
                    // Addresses cleared by a success leave stale entries behind; keep only the remembered ones.
                    var remembered = _firstFailed.Where(_failures.ContainsKey).Distinct(StringComparer.Ordinal).ToList();
                    _firstFailed.Clear();
                    remembered.ForEach(_firstFailed.Enqueue);
                }
            }

            Current(failures);
            failures.Enqueue(time.GetUtcNow());
        }
    }

    /// <summary>A successful sign-in clears the address's failures.</summary>
    public void Succeeded(string address)
    {
        lock (_gate)
        {
            _failures.Remove(address);
        }
    }

    private int Current(Queue<DateTimeOffset> failures)
    {
        var since = time.GetUtcNow() - Window;
        while (failures.TryPeek(out var oldest) && oldest <= since)
        {
            failures.Dequeue();
        }

        return failures.Count;
    }

    /// <summary>Forgets the address that first failed longest ago.</summary>
    private void ForgetOldest()
    {
        while (_firstFailed.TryDequeue(out var address))
        {
            if (_failures.Remove(address))
            {
                return;
            }
        }
    }
}
