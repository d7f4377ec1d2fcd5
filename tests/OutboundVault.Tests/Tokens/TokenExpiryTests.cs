using System.Text.Json;
using OutboundVault.Providers;
using OutboundVault.Tokens;

namespace OutboundVault.Tests.Tokens;

/// <summary>The one expiry rule that connect, refresh and upload share, at its edges.</summary>
public sealed class TokenExpiryTests
{
    static readonly DateTime Now = new(2026, 12, 3, 12, 0, 0, DateTimeKind.Utc);

    [SkippableFact]
    public void A_lifetime_counts_from_now() =>
        TokenExpiry.FromLifetime(3600, Now).Should().Be(Now.AddHours(1));

    [SkippableFact]
    public void A_lifetime_of_zero_is_unknown() =>
        TokenExpiry.FromLifetime(0, Now).Should().BeNull();

    [SkippableFact]
    public void A_negative_lifetime_is_unknown() =>
        TokenExpiry.FromLifetime(-5, Now).Should().BeNull();

    [SkippableFact]
    public void A_missing_lifetime_is_unknown() =>
        TokenExpiry.FromLifetime(null, Now).Should().BeNull();

    [SkippableFact]
    public void A_huge_lifetime_is_held_to_ten_years() =>
        TokenExpiry.FromLifetime(long.MaxValue, Now).Should().Be(Now.AddDays(3650));

    [SkippableTheory]
    [InlineData("3600.9")]
    [InlineData("\"3600.9\"")]
    public void A_fractional_expires_in_counts_its_whole_seconds(string json) =>
        TokenExpiry.FromLifetime(ProviderResponseReader.ReadSeconds(JsonDocument.Parse($$"""{"expires_in":{{json}}}""").RootElement, "expires_in"), Now)
            .Should().Be(Now.AddHours(1));

    [SkippableFact]
    public void A_non_numeric_expires_in_is_unknown() =>
        TokenExpiry.FromLifetime(ProviderResponseReader.ReadSeconds(JsonDocument.Parse("""{"expires_in":"soon"}""").RootElement, "expires_in"), Now)
            .Should().BeNull();

    [SkippableFact]
    public void An_uploaded_instant_is_kept() =>
        TokenExpiry.FromEpochSeconds(new DateTimeOffset(Now.AddHours(2)).ToUnixTimeSeconds(), Now).Should().Be(Now.AddHours(2));

    [SkippableFact]
    public void An_uploaded_instant_of_zero_is_unknown() =>
        TokenExpiry.FromEpochSeconds(0, Now).Should().BeNull();

    [SkippableFact]
    public void An_uploaded_instant_beyond_ten_years_is_held_to_ten_years() =>
        TokenExpiry.FromEpochSeconds(253402300799, Now).Should().Be(Now.AddDays(3650));
}
