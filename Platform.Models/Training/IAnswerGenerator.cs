using EmotionLab.Models.Torch;

namespace EmotionLab.Models.Training;

/// <summary>
/// A model that answers in words (an audio LLM family). When <see cref="GeneratesAnswers"/>, the
/// trainer scores a split by its answers: each generated greedily and mapped to a label, or to
/// none (unparsed: counted wrong, and counted per split and epoch, a hallucination rate). The
/// split's loss and class probabilities come from the label scores the generation gives along.
/// </summary>
public interface IAnswerGenerator<TBatch>
{
    /// <summary>Whether predictions come from generated answers (false: from forward's label scores).</summary>
    bool GeneratesAnswers { get; }

    /// <summary>
    /// Each item's answer, generated greedily, and the label it names (null when unparsed), with
    /// a score per label (B, classes) read at the answer's first token.
    /// </summary>
    (IReadOnlyList<GeneratedAnswer> Answers, Tensor LabelScores) Answer(TBatch inputs);
}

/// <summary>An answer as generated, and the label index it maps to, or null when it maps to none.</summary>
public sealed record GeneratedAnswer(string Text, int? Label);
