using EmotionLab.Models.Corpora;
using EmotionLab.Models.Pretrained;

namespace EmotionLab.Models.Families.Eaa;

/// <summary>
/// The context-aware instruction of §3.2 as the LLM reads it: one user turn in the folder's chat
/// format holding the audio embeddings, the instruction ("Describe the speaker's emotion in one
/// word.") and the context, then the answer: the label's answer word (<see cref="LabelWords"/>) and
/// the end of the turn.
///
/// <para>Eq. (5) joins the preceding utterance and the current one "using a separator token"
/// without naming it; here each is a labelled line ("Previous utterance:", "Current utterance:"),
/// the same sentence-level separation in words any tokenizer has. Without a preceding utterance
/// in the dialogue the current one stands alone, as the paper says.</para>
/// </summary>
public sealed class EaaPrompt : IDisposable
{
    /// <summary>Where the audio embeddings go in the user turn.</summary>
    public const string AudioPlaceholder = "<audio>";

    private readonly PretrainedTokenizer tokenizer;
    private readonly ChatTemplate template;
    private readonly string instruction, context;

    /// <param name="tokenizer">the LLM folder's tokenizer; the prompt owns it from here on (it decodes generated answers)</param>
    public EaaPrompt(PretrainedTokenizer tokenizer, string instruction, string context, LabelWords words, string folder)
    {
        (this.tokenizer, this.instruction, this.context, Words) = (tokenizer, instruction, context, words);
        template = ChatTemplate.For(tokenizer);
        EndOfAnswer = tokenizer.TokenId(template.EndOfTurn)
            ?? throw new ModelFolderException(folder, [$"the tokenizer has no '{template.EndOfTurn}', which ends an answer in the {template.Name} chat format"]);
        Answers = words.Answers.Select(word => tokenizer.Encode(word, addSpecialTokens: false).Append(EndOfAnswer).ToArray()).ToArray();
        if (Answers.Any(a => a.Length < 2)) throw new ModelFolderException(folder, ["the tokenizer encodes a label word to no tokens"]);
    }

    /// <summary>The label set's answer words and synonyms, which map a generated answer to a label.</summary>
    public LabelWords Words { get; }

    /// <summary>The token that ends an answer (the chat format's end of turn).</summary>
    public int EndOfAnswer { get; }

    /// <summary>Each label's answer: its answer word's tokens and the end-of-turn token, in label order.</summary>
    public IReadOnlyList<int[]> Answers { get; }

    /// <summary>A generated answer's text (its tokens before the end of the turn).</summary>
    public string Decode(IEnumerable<int> answer) => tokenizer.Decode(answer.TakeWhile(id => id != EndOfAnswer));

    /// <summary>The user turn's text for an utterance (with <see cref="AudioPlaceholder"/> where the audio goes).</summary>
    /// <param name="previous">the preceding utterance's transcript in the same dialogue, or null when it has none</param>
    public string UserTurn(string current, string? previous) => context switch
    {
        EaaConfig.NoContext => $"{AudioPlaceholder}\n{instruction}",
        EaaConfig.CurrentContext => $"{AudioPlaceholder}\n{instruction}\nCurrent utterance: {current}",
        _ when previous is null => $"{AudioPlaceholder}\n{instruction}\nCurrent utterance: {current}",
        _ => $"{AudioPlaceholder}\n{instruction}\nPrevious utterance: {previous}\nCurrent utterance: {current}",
    };

    /// <summary>The whole prompt text up to the answer, in the chat format.</summary>
    public string Text(string current, string? previous) => template.Format(null, UserTurn(current, previous));

    /// <summary>The prompt's token ids before and after the audio embeddings.</summary>
    public (int[] Before, int[] After) Encode(string current, string? previous)
    {
        var text = Text(current, previous);
        var at = text.IndexOf(AudioPlaceholder, StringComparison.Ordinal);
        return (tokenizer.Encode(text[..at], addSpecialTokens: template.TokenizerAddsBos),
                tokenizer.Encode(text[(at + AudioPlaceholder.Length)..], addSpecialTokens: false));
    }

    public void Dispose() => tokenizer.Dispose();
}
