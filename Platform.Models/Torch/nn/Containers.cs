namespace EmotionLab.Models.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Applies its modules in order; children are named "0", "1", ... as in PyTorch.</summary>
        public sealed class Sequential : Module<Tensor, Tensor>
        {
            private readonly List<Module<Tensor, Tensor>> layers = [];

            public Sequential(params Module<Tensor, Tensor>[] modules)
            {
                foreach (var m in modules) append(m);
            }

            public Sequential append(Module<Tensor, Tensor> module)
            {
                layers.Add(register_module(layers.Count.ToString(), module));
                return this;
            }

            public int Count => layers.Count;

            public Module<Tensor, Tensor> this[int index] => layers[index];

            public override Tensor forward(Tensor x)
            {
                // Intermediate activations stay owned by the caller's scope, as with any op.
                foreach (var layer in layers) x = layer.forward(x);
                return x;
            }
        }

        /// <summary>An indexable list of submodules, named "0", "1", ...</summary>
        public sealed class ModuleList<T> : Module, IReadOnlyList<T> where T : Module
        {
            private readonly List<T> items = [];

            public ModuleList(params T[] modules)
            {
                foreach (var m in modules) append(m);
            }

            public ModuleList<T> append(T module)
            {
                items.Add(register_module(items.Count.ToString(), module));
                return this;
            }

            public T this[int index] => items[index];
            public int Count => items.Count;
            public IEnumerator<T> GetEnumerator() => items.GetEnumerator();
            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }
}
