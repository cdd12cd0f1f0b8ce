namespace EmotionLab.Models.Torch;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>
        /// An optimizer over one parameter list. Its state (moment buffers, step count) is a
        /// dictionary of tensors, so it is saved with the checkpoint and a run resumes exactly.
        /// </summary>
        public abstract class Optimizer : IDisposable
        {
            protected Optimizer(IEnumerable<Parameter> parameters, double lr)
            {
                Parameters = parameters.Where(p => p.requires_grad).ToArray();
                if (Parameters.Length == 0) throw new TorchException($"{GetType().Name}: no trainable parameters were given");
                LearningRate = lr;
            }

            public Parameter[] Parameters { get; }

            /// <summary>The current learning rate (schedulers set it).</summary>
            public double LearningRate { get; set; }

            /// <summary>Steps taken so far.</summary>
            public long StepCount { get; protected set; }

            public void zero_grad()
            {
                foreach (var p in Parameters) p.zero_grad();
            }

            public abstract void step();

            /// <summary>The state as named tensors ("step", "{index}.{buffer}"); copies, owned by the caller.</summary>
            public Dictionary<string, Tensor> state_dict()
            {
                var result = new Dictionary<string, Tensor> { ["step"] = tensor([StepCount], []).DetachFromDisposeScope() };
                foreach (var (name, t) in Buffers()) result[name] = t.clone().DetachFromDisposeScope();
                return result;
            }

            public void load_state_dict(IReadOnlyDictionary<string, Tensor> state)
            {
                if (!state.TryGetValue("step", out var step)) throw new TorchException($"{GetType().Name}.load_state_dict: the state has no 'step'");
                using (no_grad())
                {
                    foreach (var (name, t) in Buffers())
                    {
                        if (!state.TryGetValue(name, out var saved)) throw new TorchException($"{GetType().Name}.load_state_dict: the state has no '{name}'");
                        if (!saved.shape.SequenceEqual(t.shape)) throw new TorchException($"{GetType().Name}.load_state_dict: '{name}' has shape [{string.Join(", ", saved.shape)}], expected [{string.Join(", ", t.shape)}]");
                        t.copy_(saved);
                    }
                }
                StepCount = step.item<long>();
            }

            protected abstract IEnumerable<(string name, Tensor buffer)> Buffers();

            protected static Tensor[] ZerosLike(Parameter[] parameters) =>
                parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();

            protected static IntPtr[] Handles(Tensor[] tensors, string op) => tensors.Select(t => t.HandleFor(op)).ToArray();

            public virtual void Dispose()
            {
                foreach (var (_, t) in Buffers()) t.Dispose();
                GC.SuppressFinalize(this);
            }
        }

        /// <summary>torch.optim.SGD: momentum (buffer starts at the first gradient), dampening, Nesterov, L2 weight decay.</summary>
        public sealed class SGD : Optimizer
        {
            private readonly double momentum, dampening, weightDecay;
            private readonly bool nesterov;
            private readonly Tensor[] momentumBuffers;

            public SGD(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0, double weight_decay = 0, bool nesterov = false) : base(parameters, lr)
            {
                if (nesterov && (momentum <= 0 || dampening != 0)) throw new TorchException("SGD: Nesterov momentum needs momentum > 0 and no dampening");
                (this.momentum, this.dampening, weightDecay, this.nesterov) = (momentum, dampening, weight_decay, nesterov);
                momentumBuffers = momentum != 0 ? ZerosLike(Parameters) : [];
            }

            public override unsafe void step()
            {
                var ps = Handles(Parameters, "SGD.step");
                var bs = momentum != 0 ? Handles(momentumBuffers, "SGD.step") : new IntPtr[ps.Length];
                fixed (IntPtr* p = ps)
                fixed (IntPtr* b = bs)
                    Native.Check(NativeMethods.elt_sgd_step(p, b, ps.Length, LearningRate, momentum, dampening, weightDecay, nesterov ? 1 : 0, StepCount == 0 ? 1 : 0), "SGD.step");
                StepCount++;
            }

            protected override IEnumerable<(string, Tensor)> Buffers() => momentumBuffers.Select((t, i) => ($"{i}.momentum_buffer", t));
        }

        /// <summary>
        /// torch.optim.Adam (weight decay added to the gradient, L2) or, with decoupled weight
        /// decay, torch.optim.AdamW (p *= 1 - lr * weight_decay).
        /// </summary>
        public class Adam : Optimizer
        {
            private readonly double beta1, beta2, eps, weightDecay;
            private readonly bool decoupled;
            private readonly Tensor[] expAvg, expAvgSq;

            public Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0)
                : this(parameters, lr, beta1, beta2, eps, weight_decay, decoupled: false) { }

            protected Adam(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weight_decay, bool decoupled) : base(parameters, lr)
            {
                (this.beta1, this.beta2, this.eps, weightDecay, this.decoupled) = (beta1, beta2, eps, weight_decay, decoupled);
                expAvg = ZerosLike(Parameters);
                expAvgSq = ZerosLike(Parameters);
            }

            public override unsafe void step()
            {
                var ps = Handles(Parameters, $"{GetType().Name}.step");
                var m = Handles(expAvg, $"{GetType().Name}.step");
                var v = Handles(expAvgSq, $"{GetType().Name}.step");
                fixed (IntPtr* p = ps)
                fixed (IntPtr* pm = m)
                fixed (IntPtr* pv = v)
                    Native.Check(NativeMethods.elt_adam_step(p, pm, pv, ps.Length, LearningRate, beta1, beta2, eps, weightDecay, decoupled ? 1 : 0, StepCount + 1), $"{GetType().Name}.step");
                StepCount++;
            }

            protected override IEnumerable<(string, Tensor)> Buffers() =>
                expAvg.Select((t, i) => ($"{i}.exp_avg", t)).Concat(expAvgSq.Select((t, i) => ($"{i}.exp_avg_sq", t)));
        }

        /// <summary>torch.optim.AdamW: Adam with decoupled weight decay (default 0.01, as in PyTorch).</summary>
        public sealed class AdamW(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 1e-2)
            : Adam(parameters, lr, beta1, beta2, eps, weight_decay, decoupled: true);
    }

    public static partial class nn
    {
        public static partial class utils
        {
            /// <summary>Scales the gradients so their joint norm is at most max_norm; returns the norm before clipping.</summary>
            public static unsafe double clip_grad_norm_(IEnumerable<Parameter> parameters, double max_norm, double norm_type = 2)
            {
                var handles = parameters.Select(p => p.HandleFor("clip_grad_norm_")).ToArray();
                double total;
                fixed (IntPtr* p = handles)
                    Native.Check(NativeMethods.elt_clip_grad_norm(p, handles.Length, max_norm, norm_type, out total), $"clip_grad_norm_(max_norm={max_norm})");
                return total;
            }
        }
    }
}
