using System.Security.Cryptography;

namespace OutboundVault.Security;

/// <summary>
/// Every id and generated key the vault makes: a readable prefix and cryptographically random letters and digits
/// (URL-, header- and shell-safe, so ids never need escaping).
/// </summary>
static class RandomIds
{
    const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string New(string prefix, int length) => prefix + RandomNumberGenerator.GetString(Alphabet, length);
}
