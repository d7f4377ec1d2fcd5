namespace OutboundVault.Apps.Templates;

/// <summary>
/// The providers an operator can create an app from by id (<c>create/bytemplate</c>). Endpoints come from
/// each provider's public OAuth documentation; scopes are a minimal useful default the caller may override.
/// </summary>
static class AppTemplateCatalog
{
    static readonly UrlParam[] NotionOwner = [new("owner", "user")];
    static readonly UrlParam[] AtlassianAudience = [new("audience", "api.atlassian.com")];
    static readonly UrlParam[] DropboxOffline = [new("token_access_type", "offline")];

    public static IReadOnlyList<AppTemplate> All { get; } =
    [
        new("google", "Google", "Google APIs (Gmail, Calendar, Drive) with OpenID Connect", AppTypes.OAuth,
            DiscoveryUrl: "https://accounts.google.com/.well-known/openid-configuration",
            AuthorizationUrl: "https://accounts.google.com/o/oauth2/v2/auth", TokenUrl: "https://oauth2.googleapis.com/token",
            RevocationUrl: "https://oauth2.googleapis.com/revoke", DefaultScopes: ["openid", "email", "profile"],
            Pkce: true, AccessType: "offline", Prompt: ["consent"]),
        new("microsoft", "Microsoft", "Microsoft Graph through the Microsoft identity platform", AppTypes.OAuth,
            DiscoveryUrl: "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
            AuthorizationUrl: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
            TokenUrl: "https://login.microsoftonline.com/common/oauth2/v2.0/token",
            DefaultScopes: ["openid", "profile", "offline_access", "User.Read"], Pkce: true),
        new("github", "GitHub", "GitHub OAuth app", AppTypes.OAuth,
            AuthorizationUrl: "https://github.com/login/oauth/authorize", TokenUrl: "https://github.com/login/oauth/access_token",
            DefaultScopes: ["read:user"], Pkce: true),
        new("slack", "Slack", "Slack OAuth v2", AppTypes.OAuth,
            AuthorizationUrl: "https://slack.com/oauth/v2/authorize", TokenUrl: "https://slack.com/api/oauth.v2.access",
            RevocationUrl: "https://slack.com/api/auth.revoke", DefaultScopes: ["chat:write"]),
        new("hubspot", "HubSpot", "HubSpot CRM", AppTypes.OAuth,
            AuthorizationUrl: "https://app.hubspot.com/oauth/authorize", TokenUrl: "https://api.hubapi.com/oauth/v1/token",
            DefaultScopes: ["oauth"]),
        new("notion", "Notion", "Notion public integration", AppTypes.OAuth,
            AuthorizationUrl: "https://api.notion.com/v1/oauth/authorize", TokenUrl: "https://api.notion.com/v1/oauth/token",
            AuthorizationUrlParams: NotionOwner, TokenEndpointAuthMethod: "client_secret_basic"),
        new("linear", "Linear", "Linear OAuth 2.0", AppTypes.OAuth,
            AuthorizationUrl: "https://linear.app/oauth/authorize", TokenUrl: "https://api.linear.app/oauth/token",
            RevocationUrl: "https://api.linear.app/oauth/revoke", DefaultScopes: ["read"], Pkce: true),
        new("atlassian", "Atlassian", "Jira and Confluence Cloud (OAuth 2.0 3LO)", AppTypes.OAuth,
            AuthorizationUrl: "https://auth.atlassian.com/authorize", TokenUrl: "https://auth.atlassian.com/oauth/token",
            DefaultScopes: ["offline_access", "read:jira-work", "read:jira-user"], Prompt: ["consent"],
            AuthorizationUrlParams: AtlassianAudience),
        new("salesforce", "Salesforce", "Salesforce connected app", AppTypes.OAuth,
            AuthorizationUrl: "https://login.salesforce.com/services/oauth2/authorize",
            TokenUrl: "https://login.salesforce.com/services/oauth2/token", RevocationUrl: "https://login.salesforce.com/services/oauth2/revoke",
            DefaultScopes: ["api", "refresh_token"], Pkce: true),
        new("dropbox", "Dropbox", "Dropbox API", AppTypes.OAuth,
            AuthorizationUrl: "https://www.dropbox.com/oauth2/authorize", TokenUrl: "https://api.dropboxapi.com/oauth2/token",
            Pkce: true, AuthorizationUrlParams: DropboxOffline),
        new("zoom", "Zoom", "Zoom OAuth app", AppTypes.OAuth,
            AuthorizationUrl: "https://zoom.us/oauth/authorize", TokenUrl: "https://zoom.us/oauth/token",
            RevocationUrl: "https://zoom.us/oauth/revoke", TokenEndpointAuthMethod: "client_secret_basic"),
        new("openai", "OpenAI", "OpenAI API key", AppTypes.ApiKey),
        new("anthropic", "Anthropic", "Anthropic API key", AppTypes.ApiKey),
        new("stripe", "Stripe", "Stripe secret or restricted key", AppTypes.ApiKey),
    ];

    public static AppTemplate? Find(string? id) =>
        All.FirstOrDefault(t => string.Equals(t.Id, id?.Trim(), StringComparison.OrdinalIgnoreCase));
}
