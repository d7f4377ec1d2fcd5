using System.Collections.Concurrent;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tokens;

namespace OutboundVault.Tests.Tokens;

/// <summary>
/// Stands in for the refresh engine at its two seams, so token tests can check what the routes hand to it
/// and that they answer with what it returns, without any provider.
/// </summary>
sealed class RefreshProbe
{
    public ConcurrentQueue<(string TokenId, bool Force)> Fetches { get; } = new();
    public ConcurrentQueue<Grant> Verified { get; } = new();
    public ConcurrentQueue<IReadOnlyList<OutboundToken>> Revoked { get; } = new();

    /// <summary>What EnsureFreshAsync answers; by default the token it was given.</summary>
    public Func<OutboundToken, bool, OutboundToken> Fresh { get; set; } = (token, _) => token;

    /// <summary>What VerifyGrantAsync answers; by default the grant it was given.</summary>
    public Func<Grant, Grant> Verify { get; set; } = grant => grant;

    public IEnumerable<string> RevokedIds => Revoked.SelectMany(rows => rows.Select(r => r.Id));

    /// <summary>A vault over the fixture's database with this probe as refresher and revoker.</summary>
    public WebApplicationFactory<Program> Start(VaultFixture fixture) =>
        fixture.Vault.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(this);
            services.AddScoped<ITokenRefresher, ProbeRefresher>();
            services.AddSingleton<ITokenRevoker, ProbeRevoker>();
        }));

    sealed class ProbeRefresher(RefreshProbe probe) : ITokenRefresher
    {
        public Task<OutboundToken> EnsureFreshAsync(OutboundToken token, bool force, CancellationToken ct)
        {
            probe.Fetches.Enqueue((token.Id, force));
            return Task.FromResult(probe.Fresh(token, force));
        }

        public Task<Grant> VerifyGrantAsync(Grant grant, CancellationToken ct)
        {
            probe.Verified.Enqueue(grant);
            return Task.FromResult(probe.Verify(grant));
        }
    }

    sealed class ProbeRevoker(RefreshProbe probe) : ITokenRevoker
    {
        public void RevokeDeleted(IReadOnlyList<OutboundToken> deletedRows, OutboundVault.Apps.OutboundApp? deletedApp = null) => probe.Revoked.Enqueue(deletedRows);
    }
}

