using Microsoft.Extensions.Options;

namespace OutboundVault.Refresh;

/// <summary>Checks the "Refresh" section on start; every message names the setting to fix.</summary>
internal sealed class RefreshOptionsValidator : IValidateOptions<RefreshOptions>
{
    public ValidateOptionsResult Validate(string? name, RefreshOptions o)
    {
        var failures = new List<string>();
        void Require(bool ok, string message)
        {
            if (!ok) failures.Add(message);
        }

        Require(o.MinValidity >= TimeSpan.Zero, "Refresh:MinValidity must not be negative.");
        Require(o.Margin >= o.MinValidity, "Refresh:Margin must be at least Refresh:MinValidity (the worker refreshes before fetches would have to).");
        Require(o.Interval > TimeSpan.Zero, "Refresh:Interval must be positive.");
        Require(o.Jitter >= TimeSpan.Zero, "Refresh:Jitter must not be negative.");
        Require(o.BatchSize is >= 1 and <= 10_000, "Refresh:BatchSize must be between 1 and 10000.");
        Require(o.MaxConcurrency is >= 1 and <= 256, "Refresh:MaxConcurrency must be between 1 and 256.");
        Require(o.LeaseDuration >= TimeSpan.FromSeconds(3) && o.LeaseDuration <= TimeSpan.FromMinutes(10),
            $"Refresh:LeaseDuration ({o.LeaseDuration}) must be between 3 seconds and 10 minutes: it is renewed every third of it " +
            "while a provider call runs, and a crashed instance's claims are taken over when it runs out.");
        Require(o.FailureCooldown > TimeSpan.Zero, "Refresh:FailureCooldown must be positive.");
        Require(o.MaxBackoff >= o.FailureCooldown, "Refresh:MaxBackoff must be at least Refresh:FailureCooldown.");
        Require(o.MaxAttempts >= 1, "Refresh:MaxAttempts must be at least 1.");
        Require(o.RevocationQueueCapacity >= 1, "Refresh:RevocationQueueCapacity must be at least 1.");
        Require(o.RevocationConcurrency is >= 1 and <= 64, "Refresh:RevocationConcurrency must be between 1 and 64.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
