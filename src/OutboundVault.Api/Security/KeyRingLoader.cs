using OutboundVault.Data;

namespace OutboundVault.Security;

/// <summary>
/// Builds the key ring from <c>Encryption:Keys</c>. The embedded (SQLite) mode may generate a key file
/// in the data directory on first start; PostgreSQL serves several instances, which must share keys
/// the operator configures, so a missing key there is a start-up error.
/// </summary>
static class KeyRingLoader
{
    public const string KeyFileName = "encryption.key";

    public static KeyRing Load(EncryptionOptions options, DatabaseOptions database, ILogger logger)
    {
        var entries = options.Keys.Where(k => !string.IsNullOrWhiteSpace(k)).ToList();
        if (entries.Count == 0)
        {
            if (database.IsPostgres)
            {
                throw new InvalidOperationException(
                    "Encryption:Keys is required with Database:Provider=Postgres: every instance must share the same keys. " +
                    "Generate one with `openssl rand -base64 32` and set Encryption__Keys__0=<keyId>:<base64>.");
            }

            entries.Add(ReadOrCreateKeyFile(database.DataDirectory, logger));
        }
        return new KeyRing(entries.Select((e, i) => KeyRing.Parse(e.Trim(), i)).ToList());
    }

    static string ReadOrCreateKeyFile(string dataDirectory, ILogger logger)
    {
        var path = Path.Combine(dataDirectory, KeyFileName);
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        PrivateFile.EnsureDirectory(dataDirectory);
        var entry = KeyRing.NewEntry();
        PrivateFile.Write(path, entry + "\n");
        logger.LogWarning("No Encryption:Keys configured: generated an encryption key in {KeyFile}. Back it up apart from the database; losing it loses every stored secret.", path);
        return entry;
    }
}
