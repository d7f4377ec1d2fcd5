using System.Text.Json.Nodes;
using OutboundVault.Tests.Infrastructure;
using OutboundVault.Tests.Tokens;

namespace OutboundVault.Tests.Audit;

/// <summary>"Who read this user's token, and when": token reads and secret changes in the audit log, never a secret.</summary>
public abstract class AuditTests(VaultFixture fixture)
{
    readonly TokenApi api = new(fixture.Management);

    async Task<JsonNode> Audit(string query) => await (await fixture.Management.GetAsync("/v1/mgmt/audit?" + query)).ShouldBeOk();

    /// <summary>The records of an app, once the writer (a few milliseconds behind) has written <paramref name="atLeast"/>.</summary>
    async Task<List<JsonNode>> RecordsOf(string appId, int atLeast)
    {
        List<JsonNode> records = [];
        await Eventually.TrueAsync(() =>
        {
            records = [.. Audit($"appId={appId}").GetAwaiter().GetResult()["records"]!.AsArray().Select(r => r!)];
            return records.Count >= atLeast;
        }, "the audit writer catches up");
        return records;
    }

    [SkippableFact]
    public async Task A_token_read_is_recorded_with_the_key_the_app_the_user_and_the_token()
    {
        var app = await api.CreateOAuthApp();
        await api.UploadUserToken(new { appId = app, userId = "reader", accessToken = "a" });
        var token = await api.Fetch("app/user/token/latest", new { appId = app, userId = "reader" });

        var read = (await RecordsOf(app, 3)).First(r => r["action"]!.GetValue<string>() == "token.read");

        (read["actor"]!.GetValue<string>(), read["userId"]!.GetValue<string>(), read["tokenId"]!.GetValue<string>(), read["outcome"]!.GetValue<string>())
            .Should().Be(("config-admin-0", "reader", token["id"]!.GetValue<string>(), "ok"));
    }

    [SkippableFact]
    public async Task A_refused_read_is_recorded_with_the_error_code()
    {
        var app = await api.CreateOAuthApp();
        await api.Post("app/user/token/latest", new { appId = app, userId = "nobody" });

        var read = (await RecordsOf(app, 2)).First(r => r["action"]!.GetValue<string>() == "token.read");

        read["outcome"]!.GetValue<string>().Should().Be("E081404");
    }

    [SkippableFact]
    public async Task Secret_changes_are_recorded_without_any_secret()
    {
        var secret = TokenApi.Secret("audit-access");
        var app = await api.CreateOAuthApp();
        await (await fixture.Management.PostJson("/v1/mgmt/outbound/app/update", new { app = new { id = app, name = "Renamed", tokenUrl = TokenApi.LoopbackTokenUrl } })).ShouldBeOk();
        await api.UploadUserToken(new { appId = app, userId = "changer", accessToken = secret });
        await (await fixture.Management.PostJson("/v1/mgmt/outbound/app/delete", new { id = app })).ShouldBeOk();

        var records = await RecordsOf(app, 5);

        (records.Select(r => r["action"]!.GetValue<string>()).Order().ToList(), string.Join(' ', records).Contains(secret, StringComparison.Ordinal))
            .Should().BeEquivalentTo((new[] { "app.create", "app.delete", "app.update", "token.delete", "token.store" }, false));
    }

    [SkippableFact]
    public async Task Records_queued_when_an_instance_stops_are_written_on_shutdown()
    {
        var app = await api.CreateOAuthApp();
        await using (var stopping = fixture.Start())
        {
            var client = stopping.CreateManagementClient();
            await client.PostJson("/v1/mgmt/outbound/app/user/token/latest", new { appId = app, userId = "late" });
        }

        (await RecordsOf(app, 2)).Should().Contain(r => r["action"]!.GetValue<string>() == "token.read");
    }

    [SkippableFact]
    public async Task Pages_and_time_windows_narrow_the_records()
    {
        var app = await api.CreateOAuthApp();
        for (var i = 0; i < 3; i++) await api.Post("app/user/token/latest", new { appId = app, userId = "pager" });
        await RecordsOf(app, 4);
        var future = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();

        var page = await Audit($"appId={app}&userId=pager&page=1&pageSize=2");
        var later = await Audit($"appId={app}&from={future}");

        (page["records"]!.AsArray().Count, page["total"]!.GetValue<int>(), later["total"]!.GetValue<int>()).Should().Be((1, 3, 0));
    }

    [SkippableTheory]
    [InlineData("from=yesterday")]
    [InlineData("pageSize=0")]
    [InlineData("userId=a%00b")]
    public async Task Bad_queries_are_400(string query)
    {
        await (await fixture.Management.GetAsync("/v1/mgmt/audit?" + query)).ShouldBeError(400, "E011003");
    }
}

public sealed class AuditTests_Sqlite(SqliteVault fixture) : AuditTests(fixture), IClassFixture<SqliteVault>;

public sealed class AuditTests_Postgres(PostgresVault fixture) : AuditTests(fixture), IClassFixture<PostgresVault>;
