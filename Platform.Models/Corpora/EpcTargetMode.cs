namespace EmotionLab.Models.Corpora;

/// <summary>Which turn an EPC example predicts, given the context seen so far (CORPORA.md, EPC).</summary>
public enum EpcTargetMode
{
    /// <summary>Every utterance after the first, from the turns before it.</summary>
    EveryNext,

    /// <summary>Only an utterance whose speaker differs from the previous turn's.</summary>
    FirstAfterSpeakerChange,

    /// <summary>The k-th later turn of the speaker of the last context turn (k = <see cref="EpcExampleBuilder.TurnsAhead"/>).</summary>
    SameSpeakerAhead,
}
