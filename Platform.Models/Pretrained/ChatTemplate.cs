namespace EmotionLab.Models.Pretrained;

/// <summary>
/// The chat formats of the LLM families, written as their tokenizer_config.json chat templates
/// render one system + user turn with the generation prompt (transformers' apply_chat_template,
/// add_generation_prompt=True): LLaMA-2 chat's [INST] blocks, LLaMA-3's header tokens and
/// Qwen2's ChatML. Which one a folder uses is read from its tokenizer's special tokens.
/// </summary>
public sealed record ChatTemplate(string Name, bool TokenizerAddsBos)
{
    public static readonly ChatTemplate Llama2 = new("llama-2", TokenizerAddsBos: true);
    public static readonly ChatTemplate Llama3 = new("llama-3", TokenizerAddsBos: false);
    public static readonly ChatTemplate ChatMl = new("chatml", TokenizerAddsBos: false);

    /// <summary>Qwen2's template puts this system turn first when none is given.</summary>
    public const string QwenDefaultSystem = "You are a helpful assistant.";

    /// <summary>ChatML when the vocabulary has &lt;|im_start|&gt; (Qwen2), LLaMA-3's headers when it has &lt;|start_header_id|&gt;, else LLaMA-2's [INST].</summary>
    public static ChatTemplate For(PretrainedTokenizer tokenizer) =>
        tokenizer.TokenId("<|im_start|>") is not null ? ChatMl
        : tokenizer.TokenId("<|start_header_id|>") is not null ? Llama3
        : Llama2;

    /// <summary>The prompt text up to where the assistant's answer starts.</summary>
    public string Format(string? system, string user) => Name switch
    {
        "llama-2" => system is null ? $"[INST] {user.Trim()} [/INST]" : $"[INST] <<SYS>>\n{system}\n<</SYS>>\n\n{user.Trim()} [/INST]",
        "llama-3" => "<|begin_of_text|>" + (system is null ? "" : Turn3("system", system)) + Turn3("user", user) + "<|start_header_id|>assistant<|end_header_id|>\n\n",
        _ => TurnMl("system", system ?? QwenDefaultSystem) + TurnMl("user", user) + "<|im_start|>assistant\n",
    };

    /// <summary>The token that ends the assistant's turn: LLaMA-2's &lt;/s&gt;, LLaMA-3's &lt;|eot_id|&gt;, ChatML's &lt;|im_end|&gt;.</summary>
    public string EndOfTurn => Name switch { "llama-2" => "</s>", "llama-3" => "<|eot_id|>", _ => "<|im_end|>" };

    /// <summary>The prompt's token ids, with the special tokens as the template means them.</summary>
    public int[] Encode(PretrainedTokenizer tokenizer, string? system, string user) =>
        tokenizer.Encode(Format(system, user), addSpecialTokens: TokenizerAddsBos);

    private static string Turn3(string role, string content) => $"<|start_header_id|>{role}<|end_header_id|>\n\n{content.Trim()}<|eot_id|>";

    private static string TurnMl(string role, string content) => $"<|im_start|>{role}\n{content}<|im_end|>\n";
}
