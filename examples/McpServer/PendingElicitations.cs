using System.Collections.Concurrent;
using System.Security.Claims;
using ModelContextProtocol.Server;

namespace OutboundVault.Examples.Mcp;

/// <summary>A connect the MCP server is waiting on: the session to notify, the caller, the app.</summary>
public sealed record PendingElicitation(McpServer Session, ClaimsPrincipal Caller, string AppId);

/// <summary>
/// Elicitations waiting for the browser to come back to /connected. In memory: a stateful MCP session lives
/// on one instance, so the notification can only be sent from the instance that holds it.
/// </summary>
public sealed class PendingElicitations
{
    readonly ConcurrentDictionary<string, PendingElicitation> pending = new(StringComparer.Ordinal);

    public void Add(string elicitationId, PendingElicitation elicitation) => pending[elicitationId] = elicitation;

    public PendingElicitation? Find(string elicitationId) => pending.GetValueOrDefault(elicitationId);

    public void Remove(string elicitationId) => pending.TryRemove(elicitationId, out _);
}
