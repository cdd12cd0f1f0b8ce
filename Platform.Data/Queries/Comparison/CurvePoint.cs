namespace EmotionLab.Data.Queries.Comparison;

/// <summary>One point of a learning curve: step or epoch, and the value there.</summary>
public readonly record struct CurvePoint(double X, double Y);
