using System.Threading.Channels;
using Microsoft.Extensions.Options;
using OutboundVault.Apps;
using OutboundVault.Tokens;

namespace OutboundVault.Refresh;

/// <summary>A deleted token waiting for revocation; it carries ciphertext only, opened when the call is made.</summary>
sealed record RevocationRequest(OutboundToken Token, OutboundApp? App);

/// <summary>
/// Takes deleted tokens off the delete's path: a bounded in-memory queue drained by
/// <see cref="RevocationWorker"/>. Revocation is best effort (RFC 7009 offers no more), so a full queue
/// or a stopped process drops requests, and says how many.
/// </summary>
sealed class TokenRevocationQueue : ITokenRevoker
{
    readonly Channel<RevocationRequest> channel;
    readonly ILogger<TokenRevocationQueue> logger;

    public TokenRevocationQueue(IOptions<RefreshOptions> options, ILogger<TokenRevocationQueue> logger)
    {
        this.logger = logger;
        channel = Channel.CreateBounded<RevocationRequest>(new BoundedChannelOptions(options.Value.RevocationQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: refuse rather than block the delete
            SingleReader = true,
        });
    }

    public ChannelReader<RevocationRequest> Reader => channel.Reader;

    public void RevokeDeleted(IReadOnlyList<OutboundToken> rows, OutboundApp? app = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var dropped = 0;
        foreach (var row in rows.Where(r => r.Kind == TokenKinds.OAuth && (r.RefreshTokenCipher is not null || r.AccessTokenCipher is not null)))
        {
            if (!channel.Writer.TryWrite(new RevocationRequest(row, app))) dropped++;
        }
        if (dropped > 0) logger.LogWarning("The revocation queue is full: {Dropped} deleted tokens will not be revoked at their provider", dropped);
    }
}
