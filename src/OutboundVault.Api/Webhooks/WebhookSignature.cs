using System.Security.Cryptography;
using System.Text;

namespace OutboundVault.Webhooks;

/// <summary>Standard Webhooks signing: <c>v1,</c> + base64 HMAC-SHA256 of <c>{webhook-id}.{webhook-timestamp}.{body}</c>.</summary>
static class WebhookSignature
{
    public static string Sign(byte[] secret, string id, long timestamp, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
}
