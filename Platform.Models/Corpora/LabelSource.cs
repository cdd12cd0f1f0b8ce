namespace EmotionLab.Models.Corpora;

/// <summary>Which annotation a label set reads: the emotion category or MELD's sentiment column.</summary>
public enum LabelSource
{
    Emotion,
    Sentiment,
}
