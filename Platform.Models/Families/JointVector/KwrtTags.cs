namespace EmotionLab.Models.Families.JointVector;

/// <summary>
/// KWRT's word-level matrices over one text sequence (K = its tokens; rows and columns of
/// function words, punctuation and speaker tokens stay 0): M_rec (1 where two content words are
/// the same word, off the diagonal), M_rel (relations between two different content words, at
/// most 3), their sum M, and Squeeze(M): each token's importance, the sum of its row.
/// </summary>
public sealed record KwrtTags(int[,] Recurrence, int[,] Relations, int[,] Importance, float[] Scores)
{
    public int Count => Scores.Length;
}
