using Microsoft.EntityFrameworkCore;
using OutboundVault.Data;
using OutboundVault.Tokens;

namespace OutboundVault.Security;

/// <summary>
/// <c>reencrypt</c>: seals every stored secret under the primary key (the first of Encryption:Keys), so
/// older keys can then be removed. Rows are read in pages by primary key and each is rewritten with a
/// single conditional UPDATE, a page per transaction, so nothing written meanwhile is overwritten: a token
/// changed since it was read (upload, refresh) is read again; a token whose lease a refresh holds right now,
/// or a client secret or code verifier replaced meanwhile, is left alone and reported as skipped. A run that
/// stops half-way, or reports skipped rows, is simply run again.
/// </summary>
sealed class ReencryptCommand(VaultDbContext db, SecretProtector protector, TokenStore store, TimeProvider clock, ILogger<ReencryptCommand> logger)
{
    public const string Name = "reencrypt";
    const int Attempts = 3;

    public int BatchSize { get; set; } = 500;

    public async Task<ReencryptReport> RunAsync(CancellationToken ct)
    {
        var primary = protector.PrimaryKeyId;
        logger.LogInformation("Re-encrypting stored secrets under the primary key {KeyId}", primary);
        var tables = new List<ReencryptCount>
        {
            await RunTableAsync("outbound_apps (client secrets)", ReencryptAppsAsync, ct),
            await RunTableAsync("outbound_tokens (access and refresh tokens, API keys)", ReencryptTokensAsync, ct),
            await RunTableAsync("pending_connections (PKCE code verifiers)", ReencryptPendingAsync, ct),
        };
        return new ReencryptReport(primary, tables, await KeysInUseAsync(ct));
    }

    async Task<ReencryptCount> RunTableAsync(string table, Func<string, ReencryptCount, CancellationToken, Task<string?>> page, CancellationToken ct)
    {
        var count = new ReencryptCount(table);
        for (var after = ""; await page(after, count, ct) is { } last; after = last)
            logger.LogInformation("{Table}: {Reencrypted} re-encrypted, {AlreadyOnPrimary} already on the primary so far", table, count.Reencrypted, count.AlreadyOnPrimary);
        return count;
    }

    /// <returns>The last key of the page, or null when there was no page.</returns>
    async Task<string?> ReencryptAppsAsync(string after, ReencryptCount count, CancellationToken ct)
    {
        var rows = await db.Apps.AsNoTracking().Where(a => a.ClientSecretCipher != null && string.Compare(a.Id, after) > 0)
            .OrderBy(a => a.Id).Take(BatchSize).Select(a => new { a.Id, Cipher = a.ClientSecretCipher! }).ToListAsync(ct);
        if (rows.Count == 0) return null;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var row in rows)
        {
            // Compare-and-swap on the ciphertext itself: a client secret replaced meanwhile is not overwritten.
            count.Add(await ResealAsync(row.Cipher, SecretContext.AppClientSecret(row.Id), resealed => db.Apps
                .Where(a => a.Id == row.Id && a.ClientSecretCipher == row.Cipher)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.ClientSecretCipher, resealed), ct)));
        }
        await transaction.CommitAsync(ct);
        return rows[^1].Id;
    }

    async Task<string?> ReencryptPendingAsync(string after, ReencryptCount count, CancellationToken ct)
    {
        var rows = await db.PendingConnections.AsNoTracking().Where(p => p.CodeVerifierCipher != null && string.Compare(p.StateHash, after) > 0)
            .OrderBy(p => p.StateHash).Take(BatchSize).Select(p => new { p.StateHash, Cipher = p.CodeVerifierCipher! }).ToListAsync(ct);
        if (rows.Count == 0) return null;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var row in rows)
        {
            // Written once, then only consumed: a miss means the connection was just completed or expired.
            count.Add(await ResealAsync(row.Cipher, SecretContext.PendingConnection(row.StateHash, "codeVerifier"), resealed => db.PendingConnections
                .Where(p => p.StateHash == row.StateHash && p.CodeVerifierCipher == row.Cipher)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.CodeVerifierCipher, resealed), ct)));
        }
        await transaction.CommitAsync(ct);
        return rows[^1].StateHash;
    }

    async Task<Resealed> ResealAsync(string cipher, SecretContext context, Func<string, Task<int>> swap)
    {
        if (protector.IsCurrent(cipher)) return Resealed.AlreadyOnPrimary;
        string plaintext;
        try { plaintext = protector.Unprotect(cipher, context); }
        catch (Errors.VaultException) { return Resealed.Unreadable; } // logged by the protector, without the secret
        return await swap(protector.Protect(plaintext, context)) == 1 ? Resealed.Reencrypted : Resealed.Skipped;
    }

    async Task<string?> ReencryptTokensAsync(string after, ReencryptCount count, CancellationToken ct)
    {
        var rows = await db.Tokens.AsNoTracking().Where(t => string.Compare(t.Id, after) > 0).OrderBy(t => t.Id).Take(BatchSize).ToListAsync(ct);
        if (rows.Count == 0) return null;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var row in rows) count.Add(await ReencryptTokenAsync(row, ct));
        await transaction.CommitAsync(ct);
        return rows[^1].Id;
    }

    async Task<Resealed> ReencryptTokenAsync(OutboundToken? token, CancellationToken ct)
    {
        for (var attempt = 1; token is not null; attempt++)
        {
            if (token.KeyId == protector.PrimaryKeyId && OnPrimaryOrNone(token.AccessTokenCipher) && OnPrimaryOrNone(token.RefreshTokenCipher))
                return Resealed.AlreadyOnPrimary;
            try
            {
                if (await TryResealAsync(token, ct)) return Resealed.Reencrypted;
            }
            catch (Errors.VaultException)
            {
                return Resealed.Unreadable;
            }
            if (attempt == Attempts) return Resealed.Skipped;
            // Changed or leased since it was read: read it again (gone means deleted, nothing left to do).
            var id = token.Id;
            token = await db.Tokens.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        }
        return Resealed.Skipped;
    }

    bool OnPrimaryOrNone(string? cipher) => cipher is null || protector.IsCurrent(cipher);

    /// <summary>
    /// Rewrites a token's secrets if it is still at the version read and no refresh holds its lease: a
    /// refresh in flight commits against the version it read, so changing it under the refresh would
    /// throw away the provider's freshly rotated refresh token.
    /// </summary>
    async Task<bool> TryResealAsync(OutboundToken token, CancellationToken ct)
    {
        var (readVersion, now) = (token.Version, clock.GetUtcNow().UtcDateTime);
        store.WriteSecrets(token, store.ReadAccessToken(token), store.ReadRefreshToken(token));
        return await db.Tokens
            .Where(t => t.Id == token.Id && t.Version == readVersion).Where(Leases.FreeAt<OutboundToken>(now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.AccessTokenCipher, token.AccessTokenCipher)
                .SetProperty(t => t.RefreshTokenCipher, token.RefreshTokenCipher)
                .SetProperty(t => t.KeyId, token.KeyId)
                .SetProperty(t => t.Version, token.Version), ct) == 1;
    }

    /// <summary>Every key id some stored secret still needs, so the operator knows which keys may go.</summary>
    async Task<IReadOnlyList<string>> KeysInUseAsync(CancellationToken ct)
    {
        var tokenKeys = await db.Tokens.Select(t => t.KeyId).Distinct().ToListAsync(ct);
        var appCiphers = await db.Apps.Where(a => a.ClientSecretCipher != null).Select(a => a.ClientSecretCipher).ToListAsync(ct);
        var pendingCiphers = await db.PendingConnections.Where(p => p.CodeVerifierCipher != null).Select(p => p.CodeVerifierCipher).ToListAsync(ct);
        return tokenKeys.Concat(appCiphers.Concat(pendingCiphers).Select(SecretProtector.KeyIdOf).OfType<string>())
            .Where(k => k.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList();
    }
}
