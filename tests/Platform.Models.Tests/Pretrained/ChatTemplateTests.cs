using EmotionLab.Models.Pretrained;

namespace EmotionLab.Models.Tests.Pretrained;

/// <summary>The chat formats against the strings the families' published chat templates render.</summary>
public sealed class ChatTemplateTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "elt-chat-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void Each_family_renders_its_published_template()
    {
        const string instruction = "Describe the speaker's emotion in one word.";
        Assert.Equal("[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\n" + instruction + " [/INST]", ChatTemplate.Llama2.Format("Be brief.", instruction));
        Assert.Equal("[INST] " + instruction + " [/INST]", ChatTemplate.Llama2.Format(null, instruction));
        Assert.Equal("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n" + instruction + "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            ChatTemplate.Llama3.Format(null, instruction));
        Assert.Equal("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n" + instruction + "<|im_end|>\n<|im_start|>assistant\n",
            ChatTemplate.ChatMl.Format(null, instruction));
    }

    [Fact]
    public void The_template_follows_the_tokenizer_and_special_tokens_stay_whole()
    {
        TinyModelWriter.Write("qwen2", Path.Combine(root, "qwen2"), ["happy"]);
        TinyModelWriter.Write("llama", Path.Combine(root, "llama"), ["happy"]);
        using var qwen = PretrainedTokenizer.Open(ModelFolder.Open(Path.Combine(root, "qwen2")));
        using var llama = PretrainedTokenizer.Open(ModelFolder.Open(Path.Combine(root, "llama")));
        Assert.Same(ChatTemplate.ChatMl, ChatTemplate.For(qwen));
        Assert.Same(ChatTemplate.Llama2, ChatTemplate.For(llama));

        var ids = ChatTemplate.ChatMl.Encode(qwen, null, "happy");
        Assert.Equal(qwen.TokenId("<|im_start|>"), ids[0]);
        Assert.Equal(3, ids.Count(i => i == qwen.TokenId("<|im_start|>")));
        Assert.Equal(2, ids.Count(i => i == qwen.TokenId("<|im_end|>")));
        Assert.Equal(llama.TokenId("<s>"), ChatTemplate.Llama2.Encode(llama, null, "happy")[0]);
    }

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }
}
