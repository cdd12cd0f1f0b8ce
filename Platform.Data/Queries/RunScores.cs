namespace EmotionLab.Data.Queries;

/// <summary>The four scores of one epoch on one split.</summary>
public sealed record RunScores(string Split, int Epoch, double WA, double UA, double WeightedF1, double MacroF1);
