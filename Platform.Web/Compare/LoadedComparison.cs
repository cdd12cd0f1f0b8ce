using EmotionLab.Data.Queries.Comparison;

namespace EmotionLab.Web.Compare;

/// <summary>
/// The runs a compare request found, the grid they came from (for a grid request), what the person
/// should know about the request (unknown run ids or variants, nothing succeeded yet) and the HTTP
/// status that fits: 404 when nothing asked for exists.
/// </summary>
public sealed record LoadedComparison(IReadOnlyList<ComparedRun> Runs, IReadOnlyList<long> MissingIds, GridVariantRuns? Grid, IReadOnlyList<string> Problems, int StatusCode);
