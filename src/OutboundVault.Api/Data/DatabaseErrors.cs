using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace OutboundVault.Data;

/// <summary>What a failed write means, the same on PostgreSQL (SQLSTATE) and SQLite (extended result codes).</summary>
static class DatabaseErrors
{
    /// <summary>Another writer inserted the same unique key first (a racing create or upload).</summary>
    public static bool IsUniqueViolation(Exception e) => Find(e, pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555); // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY

    /// <summary>The row referenced is gone: the app was deleted while the request ran.</summary>
    public static bool IsForeignKeyViolation(Exception e) => Find(e, pg => pg.SqlState == PostgresErrorCodes.ForeignKeyViolation,
        sqlite => sqlite.SqliteExtendedErrorCode == 787); // SQLITE_CONSTRAINT_FOREIGNKEY

    /// <summary>Ordinary concurrency: retry the unit of work against what the other writer committed.</summary>
    public static bool IsLostRace(Exception e) => e is DbUpdateConcurrencyException || IsUniqueViolation(e);

    static bool Find(Exception e, Func<PostgresException, bool> postgres, Func<SqliteException, bool> sqlite)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is PostgresException pg && postgres(pg)) return true;
            if (current is SqliteException lite && sqlite(lite)) return true;
        }
        return false;
    }
}
