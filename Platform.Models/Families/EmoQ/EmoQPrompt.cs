using EmotionLab.Models.Corpora;
using EmotionLab.Models.Pretrained;

namespace EmotionLab.Models.Families.EmoQ;

/// <summary>
/// The prompt of §2.3 as the LLM reads it: one user turn in the folder's chat format that asks
/// for the speaker's emotion among the label set's words and holds the speaker (when the corpus
/// names one), the transcript (unless audio only) and the &lt;AUDIO&gt; placeholder (unless text
/// only), then the assistant's answer, which starts with "Emotion:" in the prompt and continues
/// with the label's answer word and the end of the turn. Fig. 2's exact wording is an image the
/// paper's text does not give; this prompt keeps its parts and order.
///
/// <para>The placeholder is never tokenized: the prompt is encoded as the text before it and the
/// text after it, and the model puts the soft prompt e_h between the two, so no tokenizer can
/// split it and no transcript can fake it.</para>
/// </summary>
public sealed class EmoQPrompt : IDisposable
{
    /// <summary>Where the soft prompt goes.</summary>
    public const string AudioPlaceholder = "<AUDIO>";

    /// <summary>What the assistant's answer starts with, in the prompt.</summary>
    public const string AnswerStart = "Emotion:";

    private readonly PretrainedTokenizer tokenizer;
    private readonly ChatTemplate template;
    private readonly bool speaker, text, audio;
    private readonly string question;

    /// <param name="tokenizer">the LLM folder's tokenizer; the prompt owns it from here on</param>
    /// <param name="speaker">whether the speaker's name goes in (when the utterance has one)</param>
    public EmoQPrompt(PretrainedTokenizer tokenizer, LabelWords words, bool speaker, bool text, bool audio, string folder)
    {
        (this.tokenizer, this.speaker, this.text, this.audio) = (tokenizer, speaker, text, audio);
        template = ChatTemplate.For(tokenizer);
        question = $"Which emotion does the speaker express? Answer with one of: {string.Join(", ", words.Answers)}.";
        var end = tokenizer.TokenId(template.EndOfTurn)
            ?? throw new ModelFolderException(folder, [$"the tokenizer has no '{template.EndOfTurn}', which ends an answer in the {template.Name} chat format"]);
        // The answer word follows "Emotion:" after a space, so its tokens are those of " word".
        Answers = words.Answers.Select(word => tokenizer.Encode(" " + word, addSpecialTokens: false).Append(end).ToArray()).ToArray();
        var clashes = Answers.Select((a, i) => (First: a[0], Word: words.Answers[i])).GroupBy(a => a.First).Where(g => g.Count() > 1).ToArray();
        if (Answers.Any(a => a.Length < 2))
            throw new ModelFolderException(folder, ["the tokenizer encodes a label word to no tokens"]);
        if (clashes.Length > 0)
            throw new ModelFolderException(folder, [$"the label words {string.Join("; ", clashes.Select(g => string.Join(" and ", g.Select(a => $"'{a.Word}'"))))} start with the same token " +
                                                    "(eqs. 8-9 tell labels apart by their first token); use an LLM whose tokenizer starts them differently"]);
        FirstTokens = Answers.Select(a => a[0]).ToArray();
    }

    /// <summary>Each label's answer after "Emotion:": its answer word's tokens and the end-of-turn token, in label order.</summary>
    public IReadOnlyList<int[]> Answers { get; }

    /// <summary>k_c of eq. (9): each label's first answer token, distinct, in label order.</summary>
    public IReadOnlyList<int> FirstTokens { get; }

    /// <summary>The user turn for an utterance.</summary>
    public string UserTurn(string transcript, string? speakerName)
    {
        var lines = new List<string>();
        if (speaker && !string.IsNullOrWhiteSpace(speakerName)) lines.Add($"Speaker: {speakerName}");
        if (text) lines.Add($"Transcript: {transcript}");
        if (audio) lines.Add($"Audio: {AudioPlaceholder}");
        lines.Add(question);
        return string.Join("\n", lines);
    }

    /// <summary>The whole prompt text up to the answer word, in the chat format.</summary>
    public string Text(string transcript, string? speakerName) => template.Format(null, UserTurn(transcript, speakerName)) + AnswerStart;

    /// <summary>The prompt's token ids before and after the placeholder (all in Before when there is none).</summary>
    public (int[] Before, int[] After) Encode(string transcript, string? speakerName)
    {
        var prompt = Text(transcript, speakerName);
        if (!audio) return (tokenizer.Encode(prompt, addSpecialTokens: template.TokenizerAddsBos), []);
        // The placeholder's line comes after the transcript, and nothing after it holds the placeholder.
        var at = prompt.LastIndexOf(AudioPlaceholder, StringComparison.Ordinal);
        return (tokenizer.Encode(prompt[..at], addSpecialTokens: template.TokenizerAddsBos),
                tokenizer.Encode(prompt[(at + AudioPlaceholder.Length)..], addSpecialTokens: false));
    }

    public void Dispose() => tokenizer.Dispose();
}
