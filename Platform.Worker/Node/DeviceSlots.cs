namespace EmotionLab.Worker.Node;

/// <summary>
/// Hands each running job the device with the fewest runs on it, so N slots over M devices
/// spread evenly (two slots on cuda:0 and cuda:1 get one each).
/// </summary>
public sealed class DeviceSlots(WorkerNodeOptions options)
{
    private readonly int[] inUse = new int[options.EffectiveDevices.Length];

    public Lease Acquire()
    {
        lock (inUse)
        {
            var best = 0;
            for (var i = 1; i < inUse.Length; i++)
                if (inUse[i] < inUse[best]) best = i;
            inUse[best]++;
            return new Lease(this, best, options.EffectiveDevices[best]);
        }
    }

    private void Release(int index)
    {
        lock (inUse) inUse[index]--;
    }

    public sealed class Lease(DeviceSlots owner, int index, string device) : IDisposable
    {
        public string Device { get; } = device;
        private bool released;

        public void Dispose()
        {
            if (released) return;
            released = true;
            owner.Release(index);
        }
    }
}
