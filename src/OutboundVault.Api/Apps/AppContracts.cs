using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using OutboundVault.Tokens;
using OutboundVault.Validation;

namespace OutboundVault.Apps;

/// <summary>
/// App fields as every SDK sends them: node omits keys, go sends all of them with "" / null / false,
/// python sends nulls and URL params as {name, value}. Every field is optional here; the validator
/// and <see cref="AppWriter"/> decide what absent means.
/// </summary>
class AppRequest
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    public string? Logo { get; set; }
    public string? DiscoveryUrl { get; set; }
    public string? AuthorizationUrl { get; set; }
    public List<UrlParamInput>? AuthorizationUrlParams { get; set; }
    public string? TokenUrl { get; set; }
    public List<UrlParamInput>? TokenUrlParams { get; set; }
    public string? RevocationUrl { get; set; }
    public List<string>? DefaultScopes { get; set; }
    public string? DefaultRedirectUrl { get; set; }
    public string? CallbackDomain { get; set; }
    public bool? Pkce { get; set; }
    public string? AccessType { get; set; }
    public List<string>? Prompt { get; set; }
    public bool? UseDcr { get; set; }
    public string? DcrUrl { get; set; }
    public string? AppType { get; set; }
    public string? TenantId { get; set; }
    public string? TemplateId { get; set; }
    /// <summary>Vault extension: client_secret_post (default), client_secret_basic or none.</summary>
    public string? TokenEndpointAuthMethod { get; set; }

    public override string ToString() => $"AppRequest {Id} ({Name})";
}

/// <summary>A URL parameter: <c>key</c> from node/go/.NET, <c>name</c> from python.</summary>
sealed class UrlParamInput
{
    public string? Key { get; set; }
    public string? Name { get; set; }
    public string? Value { get; set; }

    public string? EffectiveKey => string.IsNullOrEmpty(Key) ? Name : Key;
}

/// <summary>
/// The contract's update wraps the app: <c>{"app": {...}}</c>, every field replaced. Java's SDK sends the fields at
/// the top level (<c>{"id", "name"}</c>): that form changes only the fields it carries (README, "SDK compatibility").
/// With both, <c>app</c> wins.
/// </summary>
sealed class UpdateAppRequest : AppRequest
{
    public AppRequest? App { get; set; }
}

sealed record AppIdRequest(string? Id);

/// <summary>An app as the SDKs read it. The client secret is never returned.</summary>
record AppResponse(
    string Id, string Name, string? Description, string? ClientId, string? Logo, string? DiscoveryUrl,
    string? AuthorizationUrl, IReadOnlyList<UrlParam> AuthorizationUrlParams, string? TokenUrl,
    IReadOnlyList<UrlParam> TokenUrlParams, string? RevocationUrl, IReadOnlyList<string> DefaultScopes,
    string? DefaultRedirectUrl, string? CallbackDomain, bool Pkce, string? AccessType, IReadOnlyList<string> Prompt,
    bool UseDcr, string? DcrUrl, string AppType, string? TenantId, string? TemplateId,
    string TokenEndpointAuthMethod, bool HasClientSecret, string? CallbackUrl, long CreatedTime, long UpdatedTime);

/// <summary>
/// One app: under <c>app</c>, as the contract has it, and its fields again at the root, where Java's SDK reads
/// <c>id</c> after a create and the whole app after a load (README, "SDK compatibility").
/// </summary>
sealed record AppEnvelope(AppResponse App) : AppResponse(App);

sealed record AppsEnvelope(IReadOnlyList<AppResponse> Apps);

/// <summary><c>GET /app?id=</c>, as the Java SDK loads an app.</summary>
sealed record AppIdQuery([FromQuery(Name = "id")] string? Id)
{
    public string? GivenId => Arguments.Given(Id);
}

sealed class AppIdQueryValidator : AbstractValidator<AppIdQuery>
{
    public AppIdQueryValidator() => RuleFor(q => q.GivenId).NotEmptyArgument("id");
}
