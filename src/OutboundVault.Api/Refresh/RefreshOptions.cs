namespace OutboundVault.Refresh;

/// <summary>The refresh engine's settings, bound from the "Refresh" section and validated on start.</summary>
sealed class RefreshOptions : Hosting.ISettings
{
    public static string SectionName => "Refresh";

    /// <summary>A fetch refreshes a token first when it expires sooner than this.</summary>
    public TimeSpan MinValidity { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The background worker refreshes tokens that expire within this margin.</summary>
    public TimeSpan Margin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Pause between worker iterations (plus a random share of <see cref="Jitter"/>).</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Up to this much random delay is added to every pause, so instances started together drift apart.</summary>
    public TimeSpan Jitter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Tokens one worker claims per database round trip; an iteration claims batches until none is due.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>Provider calls one instance's worker makes at the same time.</summary>
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>
    /// How long a claim on a token row holds without renewal. The holder renews it every third of this while its
    /// provider call runs, so a live holder keeps it however slow the provider is, and the claim of a crashed
    /// instance runs out within this: short, so the others take over in seconds.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a running refresh renews its lease.</summary>
    public TimeSpan LeaseRenewal => LeaseDuration / 3;

    /// <summary>Back-off after the first failed refresh; it doubles with every further failure.</summary>
    public TimeSpan FailureCooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The back-off never grows beyond this.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// After this many failures in a row the worker leaves the token alone; a fetch that needs it still
    /// tries, and any success resets the count.
    /// </summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Off: this instance runs no background worker (fetches still refresh on demand).</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>Deleted tokens waiting for revocation at their provider; beyond this, revocations are dropped (and logged).</summary>
    public int RevocationQueueCapacity { get; set; } = 10_000;

    /// <summary>Revocation calls made at the same time.</summary>
    public int RevocationConcurrency { get; set; } = 4;

    /// <summary>Back-off after the given number of consecutive failures (1 for the first).</summary>
    public TimeSpan BackoffAfter(int failures)
    {
        var doublings = Math.Clamp(failures - 1, 0, 30);
        var backoff = FailureCooldown.TotalSeconds * Math.Pow(2, doublings);
        return backoff >= MaxBackoff.TotalSeconds ? MaxBackoff : TimeSpan.FromSeconds(backoff);
    }

    public IEnumerable<string> Problems()
    {
        if (MinValidity < TimeSpan.Zero) yield return "Refresh:MinValidity must not be negative.";
        if (Margin < MinValidity) yield return "Refresh:Margin must be at least Refresh:MinValidity (the worker refreshes before fetches would have to).";
        if (Interval <= TimeSpan.Zero) yield return "Refresh:Interval must be positive.";
        if (Jitter < TimeSpan.Zero) yield return "Refresh:Jitter must not be negative.";
        if (BatchSize is < 1 or > 10_000) yield return "Refresh:BatchSize must be between 1 and 10000.";
        if (MaxConcurrency is < 1 or > 256) yield return "Refresh:MaxConcurrency must be between 1 and 256.";
        if (LeaseDuration < TimeSpan.FromSeconds(3) || LeaseDuration > TimeSpan.FromMinutes(10))
        {
            yield return $"Refresh:LeaseDuration ({LeaseDuration}) must be between 3 seconds and 10 minutes: it is renewed every third of it " +
                "while a provider call runs, and a crashed instance's claims are taken over when it runs out.";
        }

        if (FailureCooldown <= TimeSpan.Zero) yield return "Refresh:FailureCooldown must be positive.";
        if (MaxBackoff < FailureCooldown) yield return "Refresh:MaxBackoff must be at least Refresh:FailureCooldown.";
        if (MaxAttempts < 1) yield return "Refresh:MaxAttempts must be at least 1.";
        if (RevocationQueueCapacity < 1) yield return "Refresh:RevocationQueueCapacity must be at least 1.";
        if (RevocationConcurrency is < 1 or > 64) yield return "Refresh:RevocationConcurrency must be between 1 and 64.";
    }
}
