using System.Security.Claims;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using OutboundVault.Data;
using OutboundVault.Security;
using OutboundVault.Tokens;

namespace OutboundVault.Audit;

/// <summary>Section "Audit".</summary>
sealed class AuditOptions : Hosting.ISettings
{
    public static string SectionName => "Audit";

    /// <summary>Records older than this are deleted (hourly).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Off: nothing is recorded (for measuring what the trail costs; bench/README.md, "Fetch latest").</summary>
    public bool Enabled { get; set; } = true;

    public IEnumerable<string> Problems()
    {
        if (Retention <= TimeSpan.Zero) yield return "Audit:Retention must be positive.";
    }
}

/// <summary>
/// The audit trail's front door: <see cref="Record"/> queues in memory and returns, so a token read costs no
/// database round trip; <see cref="AuditWriter"/> writes the queue in batches a few milliseconds later and on
/// shutdown. Commands, which run without the background services, write theirs with <see cref="FlushAsync"/>.
/// </summary>
sealed class AuditLog(IHttpContextAccessor http, TimeProvider clock, IOptions<AuditOptions> options)
{
    const int BatchSize = 500;
    readonly Channel<AuditRecord> queue = Channel.CreateUnbounded<AuditRecord>(new UnboundedChannelOptions { SingleReader = true });

    internal ChannelReader<AuditRecord> Reader => queue.Reader;

    /// <summary>Queues an event; the actor is whoever the current request authenticated as.</summary>
    public void Record(string action, string? appId, TokenOwner? owner = null, string? tokenId = null, string outcome = AuditOutcomes.Ok)
    {
        if (!options.Value.Enabled) return;
        queue.Writer.TryWrite(new AuditRecord
        {
            Time = clock.GetUtcNow().UtcDateTime,
            Actor = ActorOf(http.HttpContext),
            Action = action,
            AppId = appId,
            UserId = owner is { UserId.Length: > 0 } ? owner.UserId : null,
            TenantId = owner is { TenantId.Length: > 0 } ? owner.TenantId : null,
            TokenId = tokenId,
            Outcome = outcome,
        });
    }

    static string ActorOf(HttpContext? context) => context?.User is not { } user ? "command"
        : ManagementKey.Of(user) is { } key ? key.Id
        : InboundCaller.From(user) is { } caller ? "sub:" + caller.Subject
        : context.Request.Path.StartsWithSegments("/v1/outbound") ? "browser"
        : "vault";

    /// <summary>Writes everything queued so far, in batches.</summary>
    public async Task FlushAsync(VaultDbContext db, CancellationToken ct)
    {
        var batch = new List<AuditRecord>(BatchSize);
        while (queue.Reader.TryRead(out var record))
        {
            batch.Add(record);
            if (batch.Count == BatchSize) await WriteAsync(db, batch, ct);
        }
        if (batch.Count > 0) await WriteAsync(db, batch, ct);
    }

    static async Task WriteAsync(VaultDbContext db, List<AuditRecord> batch, CancellationToken ct)
    {
        if (db.Database.IsNpgsql()) await CopyAsync(db, batch, ct);
        else await InsertAsync(db, batch, ct);
        batch.Clear();
    }

    const string Columns = "\"Time\", \"Actor\", \"Action\", \"AppId\", \"UserId\", \"TenantId\", \"TokenId\", \"Outcome\"";

    static string?[] Texts(AuditRecord record) =>
        [record.Actor, record.Action, record.AppId, record.UserId, record.TenantId, record.TokenId, record.Outcome];

    /// <summary>
    /// On SQLite a batch is one transaction running one compiled INSERT per record: SaveChanges compiled a statement per
    /// record, and that cost a quarter of the server's CPU under a stream of fetches (bench/README.md, "Fetch latest").
    /// </summary>
    static async Task InsertAsync(VaultDbContext db, List<AuditRecord> batch, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await using var insert = db.Database.GetDbConnection().CreateCommand();
        insert.Transaction = transaction.GetDbTransaction();
        insert.CommandText = $"INSERT INTO audit_records ({Columns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7)";
        var parameters = PreparedReads.AddParameters(insert, 8);
        foreach (var record in batch)
        {
            parameters[0].Value = record.Time;
            var texts = Texts(record);
            for (var i = 0; i < texts.Length; i++) parameters[i + 1].Value = (object?)texts[i] ?? DBNull.Value;
            await insert.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// On PostgreSQL a batch is one binary COPY rather than an INSERT per record: every fetch writes a record, and an
    /// INSERT cost PostgreSQL about as much as the fetch's own query (bench/README.md, "Fetch latest").
    /// </summary>
    static async Task CopyAsync(VaultDbContext db, List<AuditRecord> batch, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var copy = await connection.BeginBinaryImportAsync(
                $"COPY audit_records ({Columns}) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var record in batch)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(record.Time, NpgsqlDbType.TimestampTz, ct);
                foreach (var text in Texts(record))
                {
                    if (text is null) await copy.WriteNullAsync(ct);
                    else await copy.WriteAsync(text, NpgsqlDbType.Varchar, ct);
                }
            }
            await copy.CompleteAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

/// <summary>Writes the audit queue a few milliseconds behind, flushes it on shutdown, and applies <c>Audit:Retention</c>.</summary>
sealed class AuditWriter(AuditLog audit, IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider clock, ILogger<AuditWriter> logger)
    : BackgroundService
{
    static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(5);
    DateTime nextPurge;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await audit.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(Gather, clock, stoppingToken); // let a burst of reads share one insert
                await WriteAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await WriteAsync(CancellationToken.None); // the last records before the instance stops
    }

    async Task WriteAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<VaultDbContext>();
            await audit.FlushAsync(db, ct);
            var now = clock.GetUtcNow().UtcDateTime;
            if (now < nextPurge) return;
            nextPurge = now.AddHours(1);
            var before = now - options.Value.Retention;
            await db.Audit.Where(r => r.Time < before).ExecuteDeleteAsync(ct);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or DbUpdateException)
        {
            logger.LogError("Writing audit records failed ({ExceptionType}); the batch is lost", ex.GetType().Name);
        }
    }
}
