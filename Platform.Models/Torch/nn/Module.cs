namespace EmotionLab.Models.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// A neural-network module: named parameters, buffers and submodules (registered
        /// explicitly, named as in PyTorch so state dicts are interchangeable), train/eval mode,
        /// state dicts, device moves.
        /// </summary>
        public abstract class Module : IDisposable
        {
            private readonly OrderedDictionary<string, Parameter?> parameters_ = new();
            private readonly OrderedDictionary<string, Tensor> buffers_ = new();
            private readonly OrderedDictionary<string, Module> modules_ = new();

            public bool training { get; private set; } = true;

            protected internal Parameter register_parameter(string name, Parameter parameter)
            {
                parameters_[name] = parameter;
                return parameter;
            }

            /// <summary>Registers an absent optional parameter (PyTorch's bias=None): it is not in the state dict.</summary>
            protected internal void register_absent_parameter(string name) => parameters_[name] = null;

            protected Tensor register_buffer(string name, Tensor buffer)
            {
                buffer.DetachFromDisposeScope();
                buffers_[name] = buffer;
                return buffer;
            }

            protected T register_module<T>(string name, T module) where T : Module
            {
                modules_[name] = module;
                return module;
            }

            /// <summary>Removes a child module (LoRA's merge drops its adapter); returns it, or null when absent.</summary>
            protected Module? unregister_module(string name) => modules_.Remove(name, out var module) ? module : null;

            public IEnumerable<(string name, Module module)> named_children() => modules_.Select(kv => (kv.Key, kv.Value));

            /// <summary>Every descendant module with its dotted name (this module itself not included).</summary>
            public IEnumerable<(string name, Module module)> named_modules()
            {
                foreach (var (prefix, child) in modules_)
                {
                    yield return (prefix, child);
                    foreach (var (name, module) in child.named_modules()) yield return ($"{prefix}.{name}", module);
                }
            }

            public IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true)
            {
                foreach (var (name, p) in parameters_)
                    if (p is not null) yield return (name, p);
                if (!recurse) yield break;
                foreach (var (prefix, child) in modules_)
                foreach (var (name, p) in child.named_parameters())
                    yield return ($"{prefix}.{name}", p);
            }

            public IEnumerable<Parameter> parameters(bool recurse = true) => named_parameters(recurse).Select(p => p.parameter);

            public IEnumerable<(string name, Tensor buffer)> named_buffers()
            {
                foreach (var (name, b) in buffers_) yield return (name, b);
                foreach (var (prefix, child) in modules_)
                foreach (var (name, b) in child.named_buffers())
                    yield return ($"{prefix}.{name}", b);
            }

            public long parameter_count() => parameters().Sum(p => p.numel());

            public Module train(bool mode = true)
            {
                training = mode;
                foreach (var child in modules_.Values) child.train(mode);
                return this;
            }

            public Module eval() => train(false);

            /// <summary>Parameters and buffers by dotted name; the tensors are the module's own (not copies).</summary>
            public Dictionary<string, Tensor> state_dict()
            {
                var result = new Dictionary<string, Tensor>();
                foreach (var (name, p) in named_parameters()) result[name] = p;
                foreach (var (name, b) in named_buffers()) result[name] = b;
                return result;
            }

            /// <summary>
            /// Copies values into the module's tensors. Shapes must match; with strict, the key
            /// sets must match too. Returns the keys that were missing and unexpected.
            /// </summary>
            public (IReadOnlyList<string> missing, IReadOnlyList<string> unexpected) load_state_dict(IReadOnlyDictionary<string, Tensor> source, bool strict = true)
            {
                var own = state_dict();
                var missing = own.Keys.Where(k => !source.ContainsKey(k)).ToList();
                var unexpected = source.Keys.Where(k => !own.ContainsKey(k)).ToList();
                if (strict && (missing.Count > 0 || unexpected.Count > 0))
                    throw new TorchException($"load_state_dict: missing keys [{string.Join(", ", missing)}], unexpected keys [{string.Join(", ", unexpected)}]");
                using (no_grad())
                {
                    foreach (var (name, target) in own)
                    {
                        if (!source.TryGetValue(name, out var value)) continue;
                        var (have, want) = (value.shape, target.shape);
                        if (!have.SequenceEqual(want))
                            throw new TorchException($"load_state_dict: '{name}' has shape [{string.Join(", ", have)}] in the source but [{string.Join(", ", want)}] in the module");
                        target.copy_(value);
                    }
                }
                return (missing, unexpected);
            }

            /// <summary>Moves (or converts) every parameter and buffer in place.</summary>
            public Module to(Device device, ScalarType? dtype = null)
            {
                foreach (var (_, t) in state_dict())
                {
                    var floating = t.dtype.IsFloatingPoint();
                    using var moved = t.to(dtype is { } d && floating ? d : t.dtype, device);
                    t.set_data(moved);
                }
                return this;
            }

            /// <summary>
            /// Gives every parameter and buffer fresh uninitialised storage on the device (PyTorch's
            /// to_empty): how a model built on the meta device gets memory before its weights are copied in.
            /// </summary>
            public Module to_empty(Device device, ScalarType? dtype = null)
            {
                foreach (var (_, t) in state_dict())
                {
                    using var storage = empty(t.shape, dtype is { } d && t.dtype.IsFloatingPoint() ? d : t.dtype, device);
                    t.replace(storage);
                }
                return this;
            }

            public virtual void Dispose()
            {
                foreach (var p in parameters_.Values) p?.Dispose();
                foreach (var b in buffers_.Values) b.Dispose();
                foreach (var m in modules_.Values) m.Dispose();
                GC.SuppressFinalize(this);
            }
        }

        /// <summary>A module with one input, as TorchSharp's Module&lt;T, TResult&gt;.</summary>
        public abstract class Module<T, TResult> : Module
        {
            public abstract TResult forward(T input);

            public TResult call(T input) => forward(input);
        }

        /// <summary>A module with two inputs.</summary>
        public abstract class Module<T1, T2, TResult> : Module
        {
            public abstract TResult forward(T1 input1, T2 input2);

            public TResult call(T1 input1, T2 input2) => forward(input1, input2);
        }
    }
}

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>PyTorch's convolution initialisation: kaiming-uniform weight, bias U(+-1/sqrt(fan_in)).</summary>
        private static Parameter? InitialiseConvolution(Module conv, Parameter weight, bool hasBias)
        {
            init.kaiming_uniform_default_(weight);
            if (!hasBias)
            {
                conv.register_absent_parameter("bias");
                return null;
            }
            var bias = conv.register_parameter("bias", new Parameter(empty([weight.shape[0]])));
            init.uniform_(bias, 1.0 / Math.Sqrt(init.fans(weight.shape).fanIn));
            return bias;
        }
    }
}
