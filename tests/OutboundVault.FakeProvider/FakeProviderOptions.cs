namespace OutboundVault.FakeProvider;

/// <summary>How the fake client authenticates at the token and revocation endpoints.</summary>
public enum FakeClientAuth
{
    ClientSecretPost,
    ClientSecretBasic,
    None,
}

/// <summary>A failure the fake answers the next token calls with (see FakeOAuthProvider.FailNext).</summary>
public enum FakeFailure
{
    /// <summary>HTTP 500 with an OAuth server_error body.</summary>
    ServerError,

    /// <summary>Hangs for <see cref="FakeProviderOptions.HangTime"/> or until the client gives up.</summary>
    Timeout,

    /// <summary>HTTP 200 with the body "not json".</summary>
    MalformedJson,

    /// <summary>HTTP 400 invalid_grant.</summary>
    InvalidGrant,

    /// <summary>HTTP 401 invalid_client.</summary>
    InvalidClient,
}

/// <summary>How /register fails when <see cref="FakeProviderOptions.RegistrationFailure"/> is set.</summary>
public enum FakeRegistrationFailure
{
    /// <summary>HTTP 400 invalid_client_metadata, with <see cref="FakeOAuthProvider.RegistrationRefusalText"/> as error_description.</summary>
    Rejected,

    /// <summary>HTTP 500 with an OAuth server_error body.</summary>
    ServerError,

    /// <summary>HTTP 201 with the body "not json".</summary>
    MalformedJson,

    /// <summary>HTTP 201 with a client_secret but no client_id.</summary>
    MissingClientId,

    /// <summary>HTTP 201 registering the client for private_key_jwt, whatever was asked for.</summary>
    UnsupportedAuthMethod,
}

/// <summary>
/// Behaviour of a <see cref="FakeOAuthProvider"/>. Read on every request, so a test may change a
/// property while the fake runs.
/// </summary>
public sealed class FakeProviderOptions
{
    /// <summary>Where to listen. Must be http://127.0.0.1:PORT (0 picks a free port).</summary>
    public string ListenUrl { get; set; } = "http://127.0.0.1:0";

    public string ClientId { get; set; } = "fake-client";

    /// <summary>Null makes the fake a public-client provider that only checks the client id.</summary>
    public string? ClientSecret { get; set; } = "fake-secret";

    /// <summary>When set, any other client authentication method is refused with invalid_client.</summary>
    public FakeClientAuth? ExpectedClientAuth { get; set; }

    /// <summary>expires_in of issued access tokens; null leaves the field out.</summary>
    public long? ExpiresIn { get; set; } = 3600;

    /// <summary>Scope to grant instead of the requested one.</summary>
    public string? GrantedScope { get; set; }

    /// <summary>The id_token "sub".</summary>
    public string Subject { get; set; } = "provider-user-1";

    /// <summary>True: each refresh issues a new refresh token and kills the old one. False: no refresh_token in the answer.</summary>
    public bool RotateRefreshTokens { get; set; } = true;

    public bool IssueIdTokens { get; set; } = true;

    /// <summary>Artificial delay before every token call is answered.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>How long an injected <see cref="FakeFailure.Timeout"/> hangs.</summary>
    public TimeSpan HangTime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The authorize endpoint redirects back with error=access_denied.</summary>
    public bool DenyAuthorization { get; set; }

    /// <summary>The revocation endpoint answers 500.</summary>
    public bool FailRevocation { get; set; }

    /// <summary>Null: /register creates clients. Otherwise every registration fails this way.</summary>
    public FakeRegistrationFailure? RegistrationFailure { get; set; }

    /// <summary>Artificial delay before /register answers (widens races between concurrent registrations).</summary>
    public TimeSpan RegistrationLatency { get; set; } = TimeSpan.Zero;

    /// <summary>False leaves registration_endpoint out of the discovery documents (/register still works).</summary>
    public bool PublishRegistrationEndpoint { get; set; } = true;

    /// <summary>False leaves code_challenge_methods_supported out of the discovery documents (PKCE still works).</summary>
    public bool PublishChallengeMethods { get; set; } = true;
}
