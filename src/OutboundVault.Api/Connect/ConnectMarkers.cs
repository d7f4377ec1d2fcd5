using Microsoft.AspNetCore.WebUtilities;

namespace OutboundVault.Connect;

/// <summary>
/// The query parameters a finished connect adds to the redirect URL:
/// <c>outbound_status=success|error</c>, <c>outbound_app_id</c>, and on failure <c>outbound_error</c>
/// and <c>outbound_error_description</c>. Prefixed so they cannot collide with the caller's own parameters.
/// </summary>
static class ConnectMarkers
{
    public const string Status = "outbound_status";
    public const string AppId = "outbound_app_id";
    public const string Error = "outbound_error";
    public const string ErrorDescription = "outbound_error_description";

    public static string AddTo(string redirectUrl, ConnectOutcome outcome)
    {
        var markers = new List<KeyValuePair<string, string?>> { new(Status, outcome.Succeeded ? "success" : "error") };
        if (outcome.AppId is not null) markers.Add(new(AppId, outcome.AppId));
        if (!outcome.Succeeded)
        {
            markers.Add(new(Error, outcome.ErrorCode));
            markers.Add(new(ErrorDescription, outcome.ErrorDescription));
        }
        return QueryHelpers.AddQueryString(redirectUrl, markers);
    }
}
