using System.Diagnostics;
using System.Globalization;

namespace ClinicCluster.Security.Tests;

/// <summary>
/// A folder laid out as the kubelet projects a Secret volume: the files live in a timestamped
/// directory, <c>..data</c> is a symlink to it, and each key (<c>tls.crt</c>) is a symlink to
/// <c>..data/tls.crt</c>. An update writes a new timestamped directory, points <c>..data_tmp</c> at
/// it, renames that over <c>..data</c> (one atomic rename) and removes the old directory: a reader
/// of <c>tls.crt</c> sees the old set or the new one, and the mounted paths never change.
/// </summary>
public sealed class SecretVolume : IDisposable
{
    private const string Data = "..data";
    private int _generation;

    public SecretVolume(IReadOnlyDictionary<string, string> files)
    {
        Folder = Path.Combine(Path.GetTempPath(), "clinic-secret-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Folder);
        var first = WriteGeneration(files);
        File.CreateSymbolicLink(Path.Combine(Folder, Data), first);
        foreach (var name in files.Keys)
        {
            File.CreateSymbolicLink(Path.Combine(Folder, name), Path.Combine(Data, name));
        }
    }

    public string Folder { get; }

    /// <summary>The mounted path of one key, as a pod's setting names it.</summary>
    public string this[string name] => Path.Combine(Folder, name);

    /// <summary>Swaps in a new set of files the way the kubelet does (same keys as at creation).</summary>
    public void Update(IReadOnlyDictionary<string, string> files)
    {
        var old = Directory.ResolveLinkTarget(Path.Combine(Folder, Data), returnFinalTarget: false)!.FullName;
        var next = WriteGeneration(files);
        var temporary = Path.Combine(Folder, "..data_tmp");
        File.CreateSymbolicLink(temporary, next);
        Rename(temporary, Path.Combine(Folder, Data));
        Directory.Delete(Path.Combine(Folder, old), recursive: true);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private string WriteGeneration(IReadOnlyDictionary<string, string> files)
    {
        // The kubelet's names: ..<timestamp>.<random>; relative targets, as it writes them.
        var name = string.Create(CultureInfo.InvariantCulture, $"..{DateTime.UtcNow:yyyy_MM_dd_HH_mm_ss}.{++_generation:D9}");
        var directory = Path.Combine(Folder, name);
        Directory.CreateDirectory(directory);
        foreach (var (file, content) in files)
        {
            File.WriteAllText(Path.Combine(directory, file), content);
        }

        return name;
    }

    /// <summary>rename(2) of a symlink over another (what the kubelet's os.Rename does); .NET's File.Move follows a link to a directory.</summary>
    private static void Rename(string from, string to)
    {
        var info = new ProcessStartInfo("mv", ["-T", from, to]) { UseShellExecute = false, RedirectStandardError = true };
        using var mv = Process.Start(info) ?? throw new InvalidOperationException("mv did not start.");
        var error = mv.StandardError.ReadToEnd();
        if (!mv.WaitForExit(TimeSpan.FromSeconds(10)) || mv.ExitCode != 0)
        {
            throw new InvalidOperationException($"mv -T {from} {to} failed: {error}");
        }
    }
}
