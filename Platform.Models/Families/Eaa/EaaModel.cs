using EmotionLab.Models.Encoders;
using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Pretrained.Llama;
using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.Eaa;

/// <summary>
/// The EAA model (Fig. 1): the semantic and acoustic encoders, the dual cross-attention fusion
/// (eqs. 2-4), a projection of F into the LLM's hidden size, and the LLM with LoRA reading the
/// prompt with the audio embeddings in place. Training (<see cref="TrainingLoss"/>) is next-token
/// cross-entropy on the answer's tokens only (the label word and the end of the turn).
/// <see cref="forward"/> scores each label as the whole answer (its tokens' summed log-probability):
/// the likelihood scoring. With generate scoring, predictions are the answers decoded greedily
/// (<see cref="Answer"/>) and mapped to labels, and an evaluation's loss and probabilities come
/// from the answer's first token restricted to the labels' first tokens.
/// </summary>
public sealed class EaaModel : Module<EaaBatch, Tensor>, ITrainingObjective<EaaBatch>, IAnswerGenerator<EaaBatch>, IPretrainedBases
{
    private readonly IAudioEncoderSlot? semantic, acoustic;
    private readonly DualCrossAttentionFusion fusion;
    private readonly Linear projector;
    private readonly LlamaForCausalLM llm;
    private readonly EaaPrompt prompt;
    private readonly int audioStride, maxAnswerTokens;

    /// <param name="semantic">the semantic stream's encoder, null when it is off</param>
    /// <param name="acoustic">the acoustic stream's encoder, null when it is off</param>
    /// <param name="llm">the loaded LLM; it is frozen here and LoRA adapters are attached</param>
    /// <param name="prompt">each label's answer tokens, and the decoding of generated answers; it must outlive the model</param>
    public EaaModel(EaaConfig config, IAudioEncoderSlot? semantic, IAudioEncoderSlot? acoustic, LlamaForCausalLM llm, EaaPrompt prompt)
    {
        (this.semantic, this.acoustic, this.prompt) = (semantic, acoustic, prompt);
        (audioStride, maxAnswerTokens, GeneratesAnswers) = (config.AudioStride, config.MaxAnswerTokens, config.Scoring == EaaConfig.GenerateScoring);
        if (semantic is not null) register_module("semantic", (Module)semantic);
        if (acoustic is not null) register_module("acoustic", (Module)acoustic);
        fusion = register_module("fusion", new DualCrossAttentionFusion(semantic?.OutputSize, acoustic?.OutputSize, config.FusionSize, config.FusionHeads, config.Fusion, config.Dropout));
        projector = register_module("projector", new Linear(fusion.OutputSize, llm.HiddenSize));
        LoraAdapters.Inject(llm, config.Lora);
        this.llm = register_module("llm", llm);
    }

    /// <summary>Log-likelihood of each label word as the answer (B, classes).</summary>
    public override Tensor forward(EaaBatch batch)
    {
        var audio = AudioEmbeddings(batch);
        var rows = Enumerable.Range(0, batch.Count).SelectMany(i => prompt.Answers.Select(a => (i, a))).ToArray();
        var (logits, targets) = AnswerLogits(batch, audio, rows);                 // (B K, A, V), (B K, A)
        var real = targets.ne(-100);
        var tokenLogProbs = logits.to(torch.float32).log_softmax(-1).gather(2, torch.where(real, targets, torch.zeros_like(targets)).unsqueeze(2)).squeeze(2); // (B K, A)
        return (tokenLogProbs * real.to(torch.float32)).sum(1).view(batch.Count, prompt.Answers.Count);
    }

    public bool GeneratesAnswers { get; }

    /// <summary>The folders of the LLM ("llm") and of the pretrained encoders whose last layers train ("semantic.encoder", "acoustic.encoder").</summary>
    public IReadOnlyList<PretrainedBase> PretrainedBases { get; init; } = [];

    /// <summary>
    /// Greedy decoding: each step reads the prompt with the answer so far and appends the most
    /// likely next token, until every answer has ended or has the most tokens allowed (then it is
    /// unparsed). There is no key-value cache: each step runs the whole sequence again, which
    /// costs little for the few tokens of a one-word answer. The label scores are the first
    /// step's log-probabilities of each label's first answer token (B, classes): one row per item
    /// instead of forward's one per item and label.
    /// </summary>
    public (IReadOnlyList<GeneratedAnswer> Answers, Tensor LabelScores) Answer(EaaBatch batch)
    {
        var audio = AudioEmbeddings(batch);
        var generated = Enumerable.Range(0, batch.Count).Select(_ => new List<int>()).ToArray();
        var ended = new bool[batch.Count];
        Tensor? labelScores = null;
        for (var step = 0; step < maxAnswerTokens && ended.Contains(false); step++)
        {
            using var scope = torch.NewDisposeScope();
            var open = Enumerable.Range(0, batch.Count).Where(i => !ended[i]).ToArray();
            // The answer so far and a placeholder: the logits at the placeholder predict the next token.
            var (logits, _) = AnswerLogits(batch, audio, open.Select(i => (i, generated[i].Append(0).ToArray())).ToArray()); // (N, A, V)
            if (step == 0)
            {
                using var firstTokens = torch.tensor(prompt.Answers.Select(a => (long)a[0]).ToArray(), [prompt.Answers.Count], logits.device);
                labelScores = logits.select(1, 0).to(torch.float32).log_softmax(-1).index_select(1, firstTokens).MoveToOuterDisposeScope(); // (B, classes)
            }
            var best = logits.argmax(2).data<long>();                                                                        // (N A)
            for (var r = 0; r < open.Length; r++)
            {
                var next = (int)best[r * logits.size(1) + step];
                if (next == prompt.EndOfAnswer) ended[open[r]] = true;
                else generated[open[r]].Add(next);
            }
        }
        var answered = generated.Select((tokens, i) =>
        {
            var text = prompt.Decode(tokens);
            return new GeneratedAnswer(text, ended[i] ? prompt.Words.Parse(text) : null);
        }).ToArray();
        return (answered, labelScores!);
    }

    /// <summary>Cross-entropy of the true label's answer tokens.</summary>
    public Tensor TrainingLoss(EaaBatch inputs, Tensor targets)
    {
        var labels = targets.data<long>();
        var (logits, answerTokens) = AnswerLogits(inputs, AudioEmbeddings(inputs), labels.Select((k, i) => (i, prompt.Answers[(int)k])).ToArray());
        return functional.cross_entropy(logits.reshape(-1, logits.size(2)).to(torch.float32), answerTokens.reshape(-1), ignore_index: -100);
    }

    /// <summary>The fused audio as LLM input embeddings (B, T, H) and its padding (B, T).</summary>
    public EncodedSequence AudioEmbeddings(EaaBatch batch)
    {
        var s = semantic?.Encode(batch.Semantic!, batch.SemanticPadding!);
        var a = acoustic?.Encode(batch.Acoustic!, batch.AcousticPadding!);
        var fused = fusion.forward(s, a).BlockMeans(audioStride);                 // (B, T / stride, parts x d)
        return new EncodedSequence(projector.forward(fused.Values), fused.Padding);
    }

    // One sequence per row: prompt-before ++ the item's real audio positions ++ prompt-after ++
    // answer, right-padded. The LLM's vocabulary logits at the positions that predict each answer
    // token (N, A, V), and those tokens (N, A), -100 past a shorter answer.
    private (Tensor Logits, Tensor Targets) AnswerLogits(EaaBatch batch, EncodedSequence audio, IReadOnlyList<(int Item, int[] Answer)> rows)
    {
        var (items, audioLength, hidden) = (audio.Values.size(0), audio.Values.size(1), audio.Values.size(2));
        var audioCounts = audio.Padding.logical_not().sum(1).data<long>();        // real positions are a prefix of each row
        var lengths = rows.Select(r => batch.Before[r.Item].Length + audioCounts[r.Item] + batch.After[r.Item].Length + r.Answer.Length).ToArray();
        var (n, width) = (rows.Count, (int)lengths.Max());
        var answerWidth = rows.Max(r => r.Answer.Length);
        var ids = new long[n * width];
        var mask = new long[n * width];
        var audioIndex = new long[n * width];                                     // into the (B T + 1, H) audio table; B T is a zero row
        var positions = new long[n * answerWidth];
        var targets = new long[n * answerWidth];
        Array.Fill(audioIndex, items * audioLength);
        Array.Fill(targets, -100L);
        for (var r = 0; r < n; r++)
        {
            var (item, answer) = rows[r];
            var p = r * width;
            foreach (var id in batch.Before[item]) ids[p++] = id;
            for (var t = 0; t < audioCounts[item]; t++) audioIndex[p++] = item * audioLength + t;
            foreach (var id in batch.After[item]) ids[p++] = id;
            var answerStart = p - r * width;
            foreach (var id in answer) ids[p++] = id;
            Array.Fill(mask, 1L, r * width, (int)lengths[r]);
            for (var j = 0; j < answer.Length; j++)
            {
                positions[r * answerWidth + j] = answerStart + j - 1;                // the position whose next token is answer[j]
                targets[r * answerWidth + j] = answer[j];
            }
        }
        var device = audio.Values.device;
        var table = torch.cat([audio.Values.reshape(items * audioLength, hidden), torch.zeros([1, hidden], audio.Values.dtype, device)], 0);
        using var audioIds = torch.tensor(audioIndex, [n * width], device);
        var placed = table.index_select(0, audioIds).view(n, width, hidden);     // (N, L, H), zero off the audio
        var isText = audioIds.eq(items * audioLength).view(n, width, 1);
        var embeds = torch.where(isText, llm.Embed(torch.tensor(ids, [n, width], device)).to(placed.dtype), placed);
        var states = llm.forward(embeds, torch.tensor(mask, [n, width], device)).LastHiddenState; // (N, L, H)
        var at = torch.tensor(positions, [n, answerWidth, 1], device).expand(n, answerWidth, states.size(2));
        return (llm.Logits(states.gather(1, at)), torch.tensor(targets, [n, answerWidth], device));
    }
}
