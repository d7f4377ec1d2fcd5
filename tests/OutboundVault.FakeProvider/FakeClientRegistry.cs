using System.Collections.Concurrent;

namespace OutboundVault.FakeProvider;

/// <summary>A client created through /register (RFC 7591). The secret is null for a public client.</summary>
public sealed record FakeRegisteredClient(
    string ClientId, string? ClientSecret, FakeClientAuth AuthMethod, IReadOnlyList<string> RedirectUris)
{
    // Test output must not print the secret either.
    public override string ToString() =>
        $"FakeRegisteredClient {{ ClientId = {ClientId}, HasClientSecret = {ClientSecret is not null}, AuthMethod = {AuthMethod} }}";
}

/// <summary>The clients registered at the fake, besides the one configured in <see cref="FakeProviderOptions"/>.</summary>
sealed class FakeClientRegistry
{
    readonly ConcurrentDictionary<string, FakeRegisteredClient> clients = new(StringComparer.Ordinal);
    readonly ConcurrentQueue<FakeRegisteredClient> inOrder = new();

    public IReadOnlyList<FakeRegisteredClient> All => inOrder.ToArray();

    public FakeRegisteredClient? Find(string? clientId) =>
        clientId is not null && clients.TryGetValue(clientId, out var client) ? client : null;

    public FakeRegisteredClient Add(FakeClientAuth authMethod, IReadOnlyList<string> redirectUris)
    {
        var client = new FakeRegisteredClient(
            FakeGrantStore.NewValue("dcr"),
            authMethod == FakeClientAuth.None ? null : FakeGrantStore.NewValue("dcrsecret"),
            authMethod,
            redirectUris);
        clients[client.ClientId] = client;
        inOrder.Enqueue(client);
        return client;
    }
}
