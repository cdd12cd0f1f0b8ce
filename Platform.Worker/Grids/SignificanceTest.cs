namespace EmotionLab.Worker.Grids;

/// <summary>
/// A variant's significance against the reference on one metric: which t-test was used, its raw
/// two-sided p-value (NaN when the test is undefined: fewer than two seeds on a side, or no
/// variance) and, when the table adjusts, its Holm–Bonferroni adjusted p over the grid's variants.
/// Significance is judged on the adjusted p when there is one.
/// </summary>
public sealed record SignificanceTest(string Kind, double P, double? AdjustedP = null)
{
    public const string Paired = "paired";
    public const string Welch = "Welch";
    public const double Alpha = 0.05;

    public bool IsDefined => !double.IsNaN(P);
    /// <summary>The p the table shows and judges by: adjusted when adjusted, raw otherwise.</summary>
    public double ShownP => AdjustedP ?? P;
    public bool IsSignificant => IsDefined && ShownP < Alpha;
}
