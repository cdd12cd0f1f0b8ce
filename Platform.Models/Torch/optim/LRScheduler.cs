namespace EmotionLab.Models.Torch;

public static partial class torch
{
    public static partial class optim
    {
        public static partial class lr_scheduler
        {
            /// <summary>
            /// Sets the optimizer's learning rate to base_lr * factor(step). Call step() once per
            /// optimizer step (or per epoch, for epoch schedules), after optimizer.step(). A resumed
            /// run passes the steps already taken as last_step (PyTorch's last_epoch), so the rate
            /// continues where it was.
            /// </summary>
            public abstract class LRScheduler
            {
                private readonly Optimizer optimizer;

                protected LRScheduler(Optimizer optimizer, long last_step = 0)
                {
                    this.optimizer = optimizer;
                    BaseLearningRate = optimizer.LearningRate;
                    LastStep = last_step;
                    optimizer.LearningRate = BaseLearningRate * Factor(last_step);
                }

                public double BaseLearningRate { get; }

                /// <summary>How many times step() was called.</summary>
                public long LastStep { get; private set; }

                public double get_last_lr() => optimizer.LearningRate;

                public void step()
                {
                    LastStep++;
                    optimizer.LearningRate = BaseLearningRate * Factor(LastStep);
                }

                protected abstract double Factor(long step);
            }

            /// <summary>Linear warm-up from 0 over warmup_steps, then cosine decay to 0 at total_steps (HF's cosine schedule with warm-up).</summary>
            public sealed class WarmupCosineLR(Optimizer optimizer, long warmup_steps, long total_steps, long last_step = 0) : LRScheduler(optimizer, last_step)
            {
                // Field initialisers run before the base constructor applies Factor(0).
                private readonly long warmupSteps = warmup_steps >= 0 && total_steps > warmup_steps ? warmup_steps
                    : throw new TorchException($"WarmupCosineLR: need 0 <= warmup_steps < total_steps, got {warmup_steps} and {total_steps}");
                private readonly long totalSteps = total_steps;

                protected override double Factor(long step)
                {
                    if (step < warmupSteps) return (double)step / warmupSteps;
                    var progress = Math.Min(1.0, (double)(step - warmupSteps) / (totalSteps - warmupSteps));
                    return 0.5 * (1 + Math.Cos(Math.PI * progress));
                }
            }

            /// <summary>Multiplies the rate by gamma every step_size steps (torch.optim.lr_scheduler.StepLR).</summary>
            public sealed class StepLR(Optimizer optimizer, long step_size, double gamma = 0.1, long last_step = 0) : LRScheduler(optimizer, last_step)
            {
                private readonly long stepSize = step_size >= 1 ? step_size : throw new TorchException($"StepLR: step_size must be at least 1, got {step_size}");

                protected override double Factor(long step) => Math.Pow(gamma, step / stepSize);
            }

            /// <summary>Keeps the base rate.</summary>
            public sealed class ConstantLR(Optimizer optimizer, long last_step = 0) : LRScheduler(optimizer, last_step)
            {
                protected override double Factor(long step) => 1;
            }
        }
    }
}
