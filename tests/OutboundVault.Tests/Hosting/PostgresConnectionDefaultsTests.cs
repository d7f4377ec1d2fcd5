using Npgsql;
using OutboundVault.Data;

namespace OutboundVault.Tests.Hosting;

public sealed class PostgresConnectionDefaultsTests
{
    [SkippableFact]
    public void Pooled_connections_skip_the_reset_and_keep_statements_prepared_by_default()
    {
        var builder = new NpgsqlConnectionStringBuilder(DataModule.WithPostgresDefaults("Host=db;Database=vault;Username=v"));
        builder.NoResetOnClose.Should().BeTrue();
        builder.MaxAutoPrepare.Should().Be(20);
        builder.Host.Should().Be("db");
    }

    [SkippableFact]
    public void Commands_are_multiplexed_over_the_pooled_connections_by_default() =>
        new NpgsqlConnectionStringBuilder(DataModule.WithPostgresDefaults("Host=db;Database=vault;Username=v")).Multiplexing.Should().BeTrue();

    [SkippableFact]
    public void An_operator_can_turn_multiplexing_off() =>
        new NpgsqlConnectionStringBuilder(DataModule.WithPostgresDefaults("Host=db;Multiplexing=false")).Multiplexing.Should().BeFalse();

    [SkippableFact]
    public void The_operators_own_values_win()
    {
        var builder = new NpgsqlConnectionStringBuilder(DataModule.WithPostgresDefaults("Host=db;No Reset On Close=false;MaxAutoPrepare=0"));
        builder.NoResetOnClose.Should().BeFalse();
        builder.MaxAutoPrepare.Should().Be(0);
    }
}
