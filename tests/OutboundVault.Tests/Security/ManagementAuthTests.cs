using System.Net.Http.Headers;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Security;

/// <summary>Every management route needs <c>Bearer ProjectId:ManagementKey</c>; every failure looks the same.</summary>
public sealed class ManagementAuthTests(SqliteVault fixture) : IClassFixture<SqliteVault>
{
    [SkippableTheory]
    [InlineData(null)]
    [InlineData("Bearer")]
    [InlineData("Bearer nocolon")]
    [InlineData("Basic abc:def")]
    [InlineData("Bearer " + VaultFactory.ProjectId + ":wrong-key")]
    [InlineData("Bearer Pwrongproject:" + VaultFactory.ManagementKey)]
    [InlineData("Bearer " + VaultFactory.ProjectId + ":")]
    public async Task Missing_or_wrong_credentials_answer_the_same_401(string? header)
    {
        var client = fixture.Vault.CreateClient();
        if (header is not null) client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
        foreach (var request in new[] { client.GetAsync("/v1/mgmt/outbound/apps"), client.PostJson("/v1/mgmt/outbound/app/create", """{"name":"x"}"""), client.GetAsync("/v1/mgmt/license") })
        {
            var body = await (await request).ShouldBeError(401, "E081401");
            body["errorMessage"]!.GetValue<string>().Should().Be("Missing or invalid credentials: send Authorization: Bearer <ProjectId>:<ManagementKey>");
        }
    }

    [SkippableFact]
    public async Task A_rejected_create_writes_nothing()
    {
        var client = fixture.Vault.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", VaultFactory.ProjectId + ":nope");
        await (await client.PostJson("/v1/mgmt/outbound/app/create", """{"id":"unauthorized-app","name":"x"}""")).ShouldBeError(401, "E081401");
        await (await fixture.Management.GetAsync("/v1/mgmt/outbound/app/unauthorized-app")).ShouldBeError(404, "E081404");
    }

    [SkippableFact]
    public async Task The_management_key_never_reaches_the_logs()
    {
        await fixture.Management.GetAsync("/v1/mgmt/outbound/apps");
        var bad = fixture.Vault.CreateClient();
        bad.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + VaultFactory.ProjectId + ":guessed-key-123");
        await bad.GetAsync("/v1/mgmt/outbound/apps");
        fixture.Vault.Logs.All.Should().Contain("/v1/mgmt/outbound/apps", "requests are logged");
        fixture.Vault.Logs.All.Should().NotContain(VaultFactory.ManagementKey).And.NotContain("guessed-key-123");
    }
}
