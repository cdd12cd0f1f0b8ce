namespace EmotionLab.Models.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>A lookup table of num_embeddings vectors; the padding row starts at zero and gets no gradient.</summary>
        public sealed class Embedding : Module<Tensor, Tensor>
        {
            private readonly long paddingIdx;

            public Embedding(long num_embeddings, long embedding_dim, long? padding_idx = null)
            {
                weight = register_parameter("weight", new Parameter(randn([num_embeddings, embedding_dim])));
                paddingIdx = padding_idx is { } p ? (p < 0 ? p + num_embeddings : p) : -1;
                if (paddingIdx >= 0)
                    using (no_grad()) using (var row = weight.select(0, paddingIdx)) row.zero_();
            }

            public Parameter weight { get; }

            public override Tensor forward(Tensor indices) => functional.embedding(indices, weight, paddingIdx);
        }
    }
}
