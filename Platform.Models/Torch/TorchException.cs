namespace EmotionLab.Models.Torch;

/// <summary>A libtorch call failed: the message names the operation, its inputs' shapes and libtorch's reason.</summary>
public sealed class TorchException(string message) : Exception(message);
