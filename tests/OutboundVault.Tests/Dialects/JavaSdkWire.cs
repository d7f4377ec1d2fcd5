using System.Text;
using OutboundVault.Tests.Infrastructure;

namespace OutboundVault.Tests.Dialects;

/// <summary>
/// Requests exactly as Descope's Java SDK 1.4.0 sends them (captured on the wire): the management key, its name and
/// version headers, and <c>Content-Type: application/json</c> on every request, GET and DELETE included.
/// </summary>
public sealed class JavaSdkWire(HttpClient vault)
{
    public Task<HttpResponseMessage> Send(HttpMethod method, string pathAndQuery, string? json = null)
    {
        var request = new HttpRequestMessage(method, pathAndQuery)
        {
            Content = json is null ? new ByteArrayContent([]) : new ByteArrayContent(Encoding.UTF8.GetBytes(json)),
        };
        request.Headers.Authorization = new("Bearer", $"{VaultFactory.ProjectId}:{VaultFactory.ManagementKey}");
        request.Headers.Add("x-descope-sdk-name", "java");
        request.Headers.Add("x-descope-sdk-version", "1.4.0");
        request.Content.Headers.ContentType = new("application/json");
        return vault.SendAsync(request);
    }

    public Task<HttpResponseMessage> Post(string path, string json) => Send(HttpMethod.Post, path, json);
}
