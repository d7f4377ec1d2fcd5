using Microsoft.Extensions.Logging.Abstractions;
using OutboundVault.Errors;
using OutboundVault.Security;

namespace OutboundVault.Tests.Security;

public sealed class SecretProtectorTests
{
    static readonly (string, byte[]) Old = ("old", Enumerable.Repeat((byte)7, 32).ToArray());
    static readonly (string, byte[]) New = ("new", Enumerable.Repeat((byte)9, 32).ToArray());

    static SecretProtector Protector(params (string, byte[])[] keys) => new(new KeyRing(keys), NullLogger<SecretProtector>.Instance);

    [SkippableFact]
    public void Round_trips_and_records_the_key_id()
    {
        var context = SecretContext.Token("app", "user", "", "row", "accessToken");
        var envelope = Protector(New).Protect("at-secret", context);
        envelope.Should().StartWith("v2:new:").And.NotContain("at-secret");
        SecretProtector.KeyIdOf(envelope).Should().Be("new");
        Protector(New).Unprotect(envelope, context).Should().Be("at-secret");
    }

    [SkippableFact]
    public void Each_seal_uses_a_fresh_nonce()
    {
        var context = SecretContext.AppClientSecret("a");
        Protector(New).Protect("same", context).Should().NotBe(Protector(New).Protect("same", context));
    }

    [SkippableFact]
    public void Old_keys_still_open_after_a_new_primary_is_added()
    {
        var context = SecretContext.AppClientSecret("a");
        var sealedWithOld = Protector(Old).Protect("s", context);
        Protector(New, Old).Unprotect(sealedWithOld, context).Should().Be("s");
        Protector(New, Old).Protect("s", context).Should().StartWith("v2:new:");
    }

    [SkippableTheory]
    [InlineData("app", "user-b", "", "row", "accessToken")]
    [InlineData("app", "user", "tenant", "row", "accessToken")]
    [InlineData("other-app", "user", "", "row", "accessToken")]
    [InlineData("app", "user", "", "row", "refreshToken")]
    [InlineData("app", "user", "", "other-row", "accessToken")]
    public void Ciphertext_moved_to_another_row_or_column_fails_closed(string app, string user, string tenant, string row, string column)
    {
        var envelope = Protector(New).Protect("at", SecretContext.Token("app", "user", "", "row", "accessToken"));
        var act = () => Protector(New).Unprotect(envelope, SecretContext.Token(app, user, tenant, row, column));
        act.Should().Throw<VaultException>().Which.Error.Should().Be(VaultError.SecretUnreadable);
    }

    [SkippableFact]
    public void Tampered_or_unknown_key_ciphertext_fails_closed_without_the_plaintext()
    {
        var context = SecretContext.AppClientSecret("a");
        var envelope = Protector(New).Protect("very-secret", context);
        var bytes = Convert.FromBase64String(envelope.Split(':')[2]);
        bytes[^1] ^= 1;
        var tampered = $"v2:new:{Convert.ToBase64String(bytes)}";
        foreach (var bad in new[] { tampered, envelope.Replace("v2:new:", "v2:gone:", StringComparison.Ordinal), "plaintext", "v2:new:!!!" })
        {
            var act = () => Protector(New).Unprotect(bad, context);
            act.Should().Throw<VaultException>().Which.Message.Should().NotContain("very-secret");
        }
    }

    [SkippableTheory]
    [InlineData("nokeyid")]
    [InlineData("bad id:AAAA")]
    [InlineData("k1:not-base64!")]
    [InlineData("k1:AAAA")]
    public void Malformed_configured_keys_are_refused_without_echoing_them(string entry)
    {
        var act = () => KeyRing.Parse(entry, 0);
        act.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("Encryption:Keys:0");
    }
}
