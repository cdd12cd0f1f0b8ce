using EmotionLab.Models.Encoders;
using EmotionLab.Models.Torch;
using static EmotionLab.Models.Torch.torch.nn;

namespace EmotionLab.Models.Families.EmoQ;

/// <summary>
/// What turns a batch into the L2-normalised vector e'_q that stage 1 classifies and stage 2
/// projects into the LLM, for each input of Table 4 that has one: the EmoQ-Former over the audio
/// and the transcript (the full model); the audio embeddings and the transcript's token embeddings
/// each averaged, concatenated and projected (audio + text without the EmoQ-Former); or the audio
/// embeddings averaged and projected (audio only). Its parameters are what stage 1 pre-trains and
/// stage 2 loads ("bridge.*" in both stages' checkpoints).
/// </summary>
public sealed class EmoQBridge : Module<EmoQBatch, Tensor>
{
    private readonly IAudioEncoderSlot audio;
    private readonly EmoQFormer? former;
    private readonly Linear? audio_projection, fuse;
    private readonly Embedding? word_embeddings;

    /// <param name="audio">the audio slot: the frozen HuBERT's cached states passed through, or a scratch log-mel encoder</param>
    /// <param name="former">the EmoQ-Former (input former), else null</param>
    /// <param name="size">e'_q's width d_h (the former's width)</param>
    /// <param name="vocabularySize">concat: the transcript's token vocabulary; 0 otherwise</param>
    /// <param name="paddingId">concat: the padding token</param>
    public EmoQBridge(string input, IAudioEncoderSlot audio, EmoQFormer? former, int size, int vocabularySize, int paddingId)
    {
        if ((input == EmoQConfig.FormerInput) != (former is not null)) throw new ArgumentException("the EmoQ-Former comes with input 'former' and only then");
        this.audio = audio;
        register_module("audio", (Module)audio);
        OutputSize = size;
        if (former is not null) this.former = register_module("former", former);
        else
        {
            audio_projection = register_module("audio_projection", new Linear(audio.OutputSize, size));
            if (input == EmoQConfig.ConcatInput)
            {
                word_embeddings = register_module("word_embeddings", new Embedding(vocabularySize, size, paddingId));
                fuse = register_module("fuse", new Linear(2 * size, size));
            }
        }
    }

    public int OutputSize { get; }

    /// <summary>The token embedding of the concat bridge (initialised from RoBERTa's word embeddings when given); null otherwise.</summary>
    public Embedding? WordEmbeddings => word_embeddings;

    public override Tensor forward(EmoQBatch batch)                              // -> (B, d_h), unit length
    {
        var encoded = audio.Encode(batch.Audio!, batch.AudioPadding!);            // (B, La, d_a)
        if (former is not null) return former.forward(encoded, batch.Tokens!, batch.TokenPadding!);
        var pooledAudio = new EncodedSequence(audio_projection!.forward(encoded.Values), encoded.Padding).MeanPooled(); // (B, d_h)
        if (fuse is null) return functional.normalize(pooledAudio, 2, 1);
        var pooledText = new EncodedSequence(word_embeddings!.forward(batch.Tokens!), batch.TokenPadding!).MeanPooled(); // (B, d_h)
        return functional.normalize(fuse.forward(torch.cat([pooledAudio, pooledText], 1)), 2, 1);
    }
}
