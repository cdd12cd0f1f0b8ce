using System.Runtime.InteropServices;

namespace EmotionLab.Models.Torch;

/// <summary>Turns native status codes into <see cref="TorchException"/>s that say which op failed on what.</summary>
internal static class Native
{
    public static void Check(int status, string op, params ReadOnlySpan<Tensor?> inputs)
    {
        if (status == 0) return;
        throw new TorchException($"{op}({Describe(inputs)}): {LastError()}");
    }

    public static string LastError() => Marshal.PtrToStringUTF8(NativeMethods.elt_last_error()) ?? "unknown native error";

    private static string Describe(ReadOnlySpan<Tensor?> inputs)
    {
        var parts = new List<string>(inputs.Length);
        foreach (var t in inputs) parts.Add(t is null ? "None" : t.Describe());
        return string.Join(", ", parts);
    }
}
