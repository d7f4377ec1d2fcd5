using System.Net.Http.Headers;
using OutboundVault.Security;

namespace OutboundVault.Providers;

// Sending and failure translation shared by every provider call.
sealed partial class ProviderClient
{
    Task<ProviderReply> PostFormAsync(
        ProviderApp app, ProviderOperation operation, Uri endpoint, List<KeyValuePair<string, string>> form,
        bool includeTokenUrlParams, CancellationToken ct)
    {
        if (!ProviderClientAuthentication.IsSupported(app.TokenEndpointAuthMethod))
        {
            throw Fail(app, operation, ProviderFailureKind.Configuration,
                "the token endpoint auth method is not one of client_secret_post, client_secret_basic, none");
        }

        if (string.IsNullOrEmpty(app.ClientId)
            && ProviderClientAuthentication.IsBasic(app.TokenEndpointAuthMethod))
        {
            throw Fail(app, operation, ProviderFailureKind.Configuration,
                "client_secret_basic needs a client id");
        }

        var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        ProviderClientAuthentication.Apply(app, form, request);
        if (includeTokenUrlParams)
        {
            // Protocol fields and credentials win: an app's extra parameters must not replace the grant.
            foreach (var parameter in app.TokenUrlParams ?? [])
            {
                if (!form.Exists(field => string.Equals(field.Key, parameter.Key, StringComparison.Ordinal)))
                {
                    form.Add(parameter);
                }
            }
        }

        request.Content = new FormUrlEncodedContent(form);
        return SendAsync(app, operation, request, ct);
    }

    /// <summary>Records a provider call's latency when it ends, however it ends.</summary>
    readonly struct Measured(Action record) : IDisposable
    {
        public void Dispose() => record();
    }

    /// <summary>Sends and buffers the answer. Disposes <paramref name="request"/>.</summary>
    async Task<ProviderReply> SendAsync(
        ProviderApp app, ProviderOperation operation, HttpRequestMessage request, CancellationToken ct)
    {
        using var ownedRequest = request;
        var endpoint = request.RequestUri!;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var started = timeProvider.GetTimestamp();
        using var measured = new Measured(() => metrics.Record(app.AppId, operation, timeProvider.GetElapsedTime(started)));
        try
        {
            using var response = await httpClient.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            logger.LogDebug("{Operation} for app {AppId}: {Endpoint} answered HTTP {StatusCode} in {ElapsedMs:0} ms",
                operation, app.AppId, Describe(endpoint), (int)response.StatusCode,
                timeProvider.GetElapsedTime(started).TotalMilliseconds);
            return new ProviderReply((int)response.StatusCode, body, response.Headers.WwwAuthenticate.ToString());
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // The caller gave up; that is not a provider failure.
        }
        catch (OperationCanceledException ex)
        {
            // HttpClient reports its own timeout as a cancellation; callers need to see a transient failure.
            throw Fail(app, operation, ProviderFailureKind.Transient,
                $"{Describe(endpoint)} did not answer within {httpClient.Timeout.TotalSeconds:0.###} s", inner: ex);
        }
        catch (HttpRequestException ex) when (FindBlocked(ex) is { } blocked)
        {
            throw Fail(app, operation, ProviderFailureKind.Blocked, blocked.Message, inner: blocked);
        }
        catch (HttpRequestException ex)
        {
            throw Fail(app, operation, ProviderFailureKind.Transient,
                $"could not reach {Describe(endpoint)} ({ex.HttpRequestError})", inner: ex);
        }
    }

    Uri RequireUrl(ProviderApp app, ProviderOperation operation, string url, string what) =>
        PrivateNetworkGuard.TryParseHttpUrl(url, out var uri)
            ? uri
            : throw Fail(app, operation, ProviderFailureKind.Configuration, $"the {what} is not an absolute http(s) URL");

    ProviderException StatusFailure(
        ProviderApp app, ProviderOperation operation, Uri endpoint, int statusCode, string? providerError)
    {
        var kind = ProviderFailureClassifier.Classify(statusCode, providerError);
        var error = providerError is null ? "" : $" ({providerError})";
        return Fail(app, operation, kind, $"{Describe(endpoint)} answered HTTP {statusCode}{error}",
            providerError, statusCode);
    }

    /// <summary>Builds and logs a failure. <paramref name="reason"/> must never contain a secret.</summary>
    ProviderException Fail(
        ProviderApp app, ProviderOperation operation, ProviderFailureKind kind, string reason,
        string? providerError = null, int? statusCode = null, Exception? inner = null)
    {
        var message = $"{operation.Describe()} for app '{app.AppId}' failed: {reason}.";
        logger.LogWarning("{Operation} for app {AppId} failed ({Kind}): {Reason}", operation, app.AppId, kind, reason);
        return new ProviderException(kind, message, providerError, statusCode, inner);
    }

    // Scheme, host and path only: a query string could carry an app's API key.
    static string Describe(Uri endpoint) => endpoint.GetLeftPart(UriPartial.Path);

    static PrivateNetworkBlockedException? FindBlocked(Exception exception)
    {
        for (var current = exception.InnerException; current is not null; current = current.InnerException)
        {
            if (current is PrivateNetworkBlockedException blocked)
            {
                return blocked;
            }
        }

        return null;
    }

    /// <param name="Challenge">The WWW-Authenticate header, empty when absent.</param>
    sealed record ProviderReply(int StatusCode, string Body, string Challenge)
    {
        public bool IsSuccess => StatusCode is >= 200 and < 300;
    }
}
