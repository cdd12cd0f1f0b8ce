using EmotionLab.Models.Pretrained;
using EmotionLab.Models.Pretrained.Llama;
using EmotionLab.Models.Torch;
using EmotionLab.Models.Training;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.EmoQ;

/// <summary>
/// The EmoQ model of stage 2 (Fig. 2): the bridge's e'_q projected to the LLM's width as e_h, put
/// in place of the prompt's &lt;AUDIO&gt; placeholder (soft-prompt injection), and the LLM with
/// LoRA reading the prompt. Training (<see cref="TrainingLoss"/>) is the token-weighted
/// cross-entropy of eq. (7) on the answer after "Emotion:" (the emotion word's tokens weigh w, the
/// end of the turn 1). <see cref="forward"/> is the restricted softmax of eqs. (8)-(9): the LLM's
/// logits at the position that predicts the answer's first token, taken at each label word's
/// first token and log-softmaxed over the labels, so every prediction is a label.
/// </summary>
public sealed class EmoQModel : Module<EmoQBatch, Tensor>, ITrainingObjective<EmoQBatch>, IPretrainedBases
{
    private readonly EmoQBridge? bridge;
    private readonly Linear? projector;
    private readonly LlamaForCausalLM llm;
    private readonly EmoQPrompt prompt;
    private readonly double emotionWordWeight;

    /// <param name="bridge">the bridge (loaded from stage 1 when it ran); null for text only</param>
    /// <param name="llm">the LLM; LoRA adapters are injected here and the rest of it is frozen</param>
    /// <param name="prompt">reads the answers' tokens; must outlive the model</param>
    public EmoQModel(EmoQConfig config, EmoQBridge? bridge, LlamaForCausalLM llm, EmoQPrompt prompt)
    {
        (this.prompt, emotionWordWeight) = (prompt, config.EmotionWordWeight);
        if (bridge is not null)
        {
            this.bridge = register_module("bridge", bridge);
            projector = register_module("projector", new Linear(bridge.OutputSize, llm.HiddenSize));
        }
        LoraAdapters.Inject(llm, config.Lora);
        this.llm = register_module("llm", llm);
    }

    /// <summary>The LLM's folder ("llm"): checkpoints keep its adapters and leave its frozen weights to the folder.</summary>
    public IReadOnlyList<PretrainedBase> PretrainedBases { get; init; } = [];

    /// <summary>log q_i of eq. (9) (B, classes).</summary>
    public override Tensor forward(EmoQBatch batch)
    {
        var (embeds, mask, _, answerStart) = InputEmbeddings(batch, answers: null);
        var states = llm.forward(embeds, mask).LastHiddenState;                   // (B, L, H)
        var at = torch.tensor(answerStart.Select(p => p - 1L).ToArray(), [batch.Count, 1, 1], states.device).expand(batch.Count, 1, states.size(2));
        var logits = llm.Logits(states.gather(1, at)).squeeze(1);                 // (B, V): l_i of eq. (8)
        using var firstTokens = torch.tensor(prompt.FirstTokens.Select(t => (long)t).ToArray(), [prompt.FirstTokens.Count], logits.device);
        return logits.index_select(1, firstTokens).to(torch.float32).log_softmax(1); // (B, classes)
    }

    /// <summary>Eq. (7): -1/N Σ_i Σ_j w_ij log P(t_ij | t_i,&lt;j, x_i) over the true label's answer tokens.</summary>
    public Tensor TrainingLoss(EmoQBatch inputs, Tensor targets)
    {
        var labels = targets.data<long>();
        var answers = labels.Select(k => prompt.Answers[(int)k]).ToArray();
        var (embeds, mask, _, answerStart) = InputEmbeddings(inputs, answers);
        var states = llm.forward(embeds, mask).LastHiddenState;                   // (B, L, H)
        var width = answers.Max(a => a.Length);
        var (n, hidden) = (inputs.Count, states.size(2));
        var positions = new long[n * width];
        var tokens = new long[n * width];
        var weights = new float[n * width];
        for (var i = 0; i < n; i++)
        for (var j = 0; j < answers[i].Length; j++)
        {
            positions[i * width + j] = answerStart[i] + j - 1;                     // the position whose next token is answer[j]
            tokens[i * width + j] = answers[i][j];
            weights[i * width + j] = j < answers[i].Length - 1 ? (float)emotionWordWeight : 1f; // the last token ends the turn
        }
        var device = states.device;
        var at = torch.tensor(positions, [n, width, 1], device).expand(n, width, hidden);
        var logProbs = llm.Logits(states.gather(1, at)).to(torch.float32).log_softmax(-1); // (B, A, V)
        var picked = logProbs.gather(2, torch.tensor(tokens, [n, width, 1], device)).squeeze(2); // (B, A)
        return -(picked * torch.tensor(weights, [n, width], device)).sum() / n;
    }

    /// <summary>e_h (B, H): the bridge's e'_q through the projector; null for text only.</summary>
    public Tensor? SoftPrompt(EmoQBatch batch) => bridge is null ? null : projector!.forward(bridge.forward(batch));

    /// <summary>
    /// The LLM's input (N, L, H): per item the prompt's token embeddings with e_h at the
    /// placeholder's position, then the answer's tokens when given (teacher forcing), right-padded;
    /// the attention mask (N, L); each item's placeholder position (-1 without one); and where each
    /// item's answer starts (the prompt's length).
    /// </summary>
    public (Tensor Embeddings, Tensor Mask, int[] AudioPosition, int[] AnswerStart) InputEmbeddings(EmoQBatch batch, IReadOnlyList<int[]>? answers)
    {
        var n = batch.Count;
        var slot = bridge is null ? 0 : 1;
        var promptLengths = Enumerable.Range(0, n).Select(i => batch.Before[i].Length + slot + batch.After[i].Length).ToArray();
        var lengths = promptLengths.Select((p, i) => p + (answers?[i].Length ?? 0)).ToArray();
        var width = lengths.Max();
        var ids = new long[n * width];
        var mask = new long[n * width];
        var isSoft = new bool[n * width];
        var audioPosition = new int[n];
        for (var i = 0; i < n; i++)
        {
            var p = i * width;
            foreach (var id in batch.Before[i]) ids[p++] = id;
            audioPosition[i] = slot == 1 ? p - i * width : -1;
            if (slot == 1) isSoft[p++] = true;                                     // its id stays 0; the embedding is replaced below
            foreach (var id in batch.After[i]) ids[p++] = id;
            if (answers is not null) foreach (var id in answers[i]) ids[p++] = id;
            Array.Fill(mask, 1L, i * width, lengths[i]);
        }
        var device = llm.parameters().First().device;
        var embeds = llm.Embed(torch.tensor(ids, [n, width], device));             // (N, L, H)
        if (SoftPrompt(batch) is { } soft)
        {
            var placed = soft.to(embeds.dtype).unsqueeze(1).expand(n, width, embeds.size(2)); // (N, L, H)
            embeds = torch.where(torch.tensor(isSoft, [n, width, 1], device), placed, embeds);
        }
        return (embeds, torch.tensor(mask, [n, width], device), audioPosition, promptLengths);
    }
}
