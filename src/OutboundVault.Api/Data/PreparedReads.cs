using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace OutboundVault.Data;

/// <summary>
/// A hot read as one hand-written statement whose compiled form is kept between calls: the fetch path's owner query
/// (bench/README.md, "Fetch latest"). Parameters are <c>@p0</c>, <c>@p1</c>, … in the order given. It reads committed
/// rows only: it is not for use inside a transaction.
/// </summary>
abstract class PreparedReads
{
    public abstract Task<List<T>> ListAsync<T>(string sql, string[] arguments, Func<DbDataReader, T> readRow, CancellationToken ct);

    /// <summary>Gives the command its parameters <c>@p0</c> … <c>@p{count - 1}</c>, to be given values in that order.</summary>
    public static DbParameter[] AddParameters(DbCommand command, int count) => Enumerable.Range(0, count).Select(i =>
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        command.Parameters.Add(parameter);
        return parameter;
    }).ToArray();

    protected static async Task<List<T>> ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> readRow, CancellationToken ct)
    {
        var rows = new List<T>(1);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) rows.Add(readRow(reader));
        return rows;
    }
}

/// <summary>
/// PostgreSQL: a new command on the request's own connection each time; Npgsql prepares repeated statements on its
/// physical connections by itself (<c>Max Auto Prepare</c>, set in <see cref="DataModule.WithPostgresDefaults"/>).
/// </summary>
sealed class PostgresPreparedReads(VaultDbContext db) : PreparedReads
{
    public override async Task<List<T>> ListAsync<T>(string sql, string[] arguments, Func<DbDataReader, T> readRow, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var parameters = AddParameters(command, arguments.Length);
            for (var i = 0; i < arguments.Length; i++) parameters[i].Value = arguments[i];
            return await ReadAllAsync(command, readRow, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

/// <summary>
/// SQLite: Microsoft.Data.Sqlite compiles every new command's SQL again, which was a fifth of a fetch's CPU. These
/// read-only connections stay open, each with its statements compiled once; WAL lets them read beside the writer.
/// </summary>
sealed class SqlitePreparedReads(string connectionString) : PreparedReads, IDisposable
{
    /// <summary>Beyond this many idle connections a returned one is closed (more only exist under a burst).</summary>
    const int MaxIdle = 16;
    readonly ConcurrentQueue<ReadConnection> idle = new();

    public override async Task<List<T>> ListAsync<T>(string sql, string[] arguments, Func<DbDataReader, T> readRow, CancellationToken ct)
    {
        var connection = idle.TryDequeue(out var taken) ? taken : ReadConnection.Open(connectionString);
        try
        {
            var command = connection.Command(sql, arguments.Length);
            for (var i = 0; i < arguments.Length; i++) command.Parameters[i].Value = arguments[i];
            var rows = await ReadAllAsync(command, readRow, ct);
            if (idle.Count < MaxIdle) idle.Enqueue(connection);
            else connection.Dispose();
            return rows;
        }
        catch
        {
            connection.Dispose(); // a failed read leaves no connection behind in an unknown state
            throw;
        }
    }

    public void Dispose()
    {
        while (idle.TryDequeue(out var connection)) connection.Dispose();
    }

    sealed class ReadConnection(SqliteConnection connection) : IDisposable
    {
        readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);

        public static ReadConnection Open(string connectionString)
        {
            // Out of Microsoft.Data.Sqlite's pool: these connections are read-only, the pool's are not.
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            connection.Open();
            using (var queryOnly = connection.CreateCommand())
            {
                queryOnly.CommandText = "PRAGMA query_only = ON";
                queryOnly.ExecuteNonQuery();
            }
            return new ReadConnection(connection);
        }

        public SqliteCommand Command(string sql, int parameterCount)
        {
            if (commands.TryGetValue(sql, out var command)) return command;
            command = connection.CreateCommand();
            command.CommandText = sql;
            AddParameters(command, parameterCount);
            command.Prepare();
            commands.Add(sql, command);
            return command;
        }

        public void Dispose()
        {
            foreach (var command in commands.Values) command.Dispose();
            connection.Dispose();
        }
    }
}
