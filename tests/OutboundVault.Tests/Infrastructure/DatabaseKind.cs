namespace OutboundVault.Tests.Infrastructure;

public enum DatabaseKind { Sqlite, Postgres }
