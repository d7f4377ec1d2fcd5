using OutboundVault.Errors;

namespace OutboundVault.Connect;

/// <summary>
/// The hosted API-key page: GET shows the form for the state a connect on an API-key app answered, POST takes
/// the key. Both are for browsers: anonymous, HTML, and hardened like the OAuth result page.
/// </summary>
static class ApiKeyPageEndpoints
{
    public const string Path = "/v1/outbound/apikey";

    public static RouteGroupBuilder MapApiKeyPage(this RouteGroupBuilder page)
    {
        page.MapGet(Path, Show).AllowAnonymous()
            .WithName("ApiKeyPage").WithSummary("The hosted page where a user types the API key of an API-key app (the URL a connect answers)")
            .Produces(StatusCodes.Status200OK, contentType: "text/html").Produces(StatusCodes.Status400BadRequest, contentType: "text/html");
        // No antiforgery token: the state in the form is an unguessable, single-use capability that only the
        // browser sent to this page has, which is what a cookie-bound token would prove; the page sets no cookie.
        page.MapPost(Path, Submit).AllowAnonymous().DisableAntiforgery()
            .WithName("ApiKeySubmit").WithSummary("Stores the API key typed on the hosted page; redirects with outbound_* markers or shows a result page")
            .WithDescription("application/x-www-form-urlencoded with the fields state and apiKey.")
            .Produces(StatusCodes.Status303SeeOther).Produces(StatusCodes.Status200OK, contentType: "text/html");
        return page;
    }

    static Task<IResult> Show(HttpRequest http, ApiKeyEntry entry, CancellationToken ct) =>
        entry.ShowAsync(Single(http.Query[ApiKeyFormPage.StateField]), ct);

    static async Task<IResult> Submit(HttpRequest http, ApiKeyEntry entry, CancellationToken ct)
    {
        if (!http.HasFormContentType)
            throw new VaultException(VaultError.BadRequest, $"POST {Path} takes an application/x-www-form-urlencoded form with state and apiKey");
        IFormCollection form;
        try
        {
            form = await http.ReadFormAsync(ct);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or BadHttpRequestException)
        {
            // A browser's form that cannot be read (malformed multipart, a truncated body) gets the page, not JSON.
            return new ConnectResultPage(new ConnectOutcome(null, null, ConnectErrors.InvalidForm, "The form could not be read; open the link again"));
        }
        return await entry.SubmitAsync(Single(form[ApiKeyFormPage.StateField]), Single(form[ApiKeyFormPage.ApiKeyField]), ct);
    }

    /// <summary>A value sent exactly once; a repeated field is as good as none.</summary>
    static string? Single(Microsoft.Extensions.Primitives.StringValues values) => values.Count == 1 ? values[0] : null;
}
