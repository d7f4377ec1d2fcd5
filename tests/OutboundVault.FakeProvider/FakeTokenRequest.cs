namespace OutboundVault.FakeProvider;

/// <summary>A token request as the fake received it, for assertions: every form field and the Authorization header.</summary>
public sealed record FakeTokenRequest(IReadOnlyDictionary<string, string> Form, string? Authorization);
