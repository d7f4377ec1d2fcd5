namespace OutboundVault.Security;

/// <summary>
/// Files and directories only the vault's own user can read: the data directory (0700), generated keys and the
/// SQLite database with its WAL and shared-memory files (0600).
/// </summary>
static class PrivateFile
{
    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    const UnixFileMode OwnerOnlyDirectory = OwnerOnly | UnixFileMode.UserExecute;

    public static void Write(string path, string content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(content);
    }

    /// <summary>Creates the directory 0700, or narrows an existing one to it.</summary>
    public static void EnsureDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, OwnerOnlyDirectory);
        File.SetUnixFileMode(path, OwnerOnlyDirectory);
    }

    /// <summary>
    /// Creates an empty file 0600 if it is missing and narrows existing ones. SQLite creates its -wal and -shm files
    /// with the mode of the database file, so a 0600 database keeps all three private.
    /// </summary>
    public static void EnsureFile(string path, bool create)
    {
        if (OperatingSystem.IsWindows()) return;
        if (create && !File.Exists(path))
        {
            using var _ = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly });
        }
        if (File.Exists(path)) File.SetUnixFileMode(path, OwnerOnly);
    }
}
