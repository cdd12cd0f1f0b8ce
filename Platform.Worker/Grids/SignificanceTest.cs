namespace EmotionLab.Worker.Grids;

/// <summary>
/// A variant's significance against the reference on one metric: which t-test was used and its
/// two-sided p-value (NaN when the test is undefined: fewer than two seeds on a side, or no variance).
/// </summary>
public sealed record SignificanceTest(string Kind, double P)
{
    public const string Paired = "paired";
    public const string Welch = "Welch";
    public const double Alpha = 0.05;

    public bool IsDefined => !double.IsNaN(P);
    public bool IsSignificant => IsDefined && P < Alpha;
}
