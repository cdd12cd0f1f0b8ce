#!/usr/bin/python3
"""torchaudio side of `Platform.Worker bench features`: 16 kHz wav -> 80-bin log-mel (n_fft 400,
hop 160, Hann, power 2, center/reflect, htk, norm None, log(mel + 1e-6)) on one thread.

Driven over stdin/stdout so the C# benchmark can alternate the two sides in one run:
  load DIR     -> reads every DIR/*.wav (sorted) with Python's wave module; prints the audio seconds
  logmel N     -> computes the log-mel of every file N times; prints N wall times in seconds
  dump DIR     -> writes DIR/<name>.bin: the float32 (frames x 80) log-mel of each file; prints ok
  info         -> prints torch and torchaudio versions and the thread count
  quit
Reading files is not timed on either side.
"""
import os
import sys
import time
import wave

import torch
import torchaudio

torch.set_num_threads(1)
mel = torchaudio.transforms.MelSpectrogram(sample_rate=16000, n_fft=400, hop_length=160, n_mels=80)
clips = []


def read_wav(path):
    with wave.open(path, "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1 and w.getframerate() == 16000, path
        data = w.readframes(w.getnframes())
    return torch.frombuffer(bytearray(data), dtype=torch.int16).float() / 32768.0


def logmel(x):
    return torch.log(mel(x) + 1e-6)


def main():
    print("ready", flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "quit":
            break
        if parts[0] == "load":
            clips.clear()
            for name in sorted(os.listdir(parts[1])):
                if name.endswith(".wav"):
                    clips.append((name[:-4], read_wav(os.path.join(parts[1], name))))
            print(sum(len(x) for _, x in clips) / 16000, flush=True)
        elif parts[0] == "logmel":
            times = []
            with torch.inference_mode():
                for _ in range(int(parts[1])):
                    start = time.perf_counter()
                    for _, x in clips:
                        logmel(x)
                    times.append(time.perf_counter() - start)
            print(" ".join(f"{t:.6f}" for t in times), flush=True)
        elif parts[0] == "dump":
            with torch.inference_mode():
                for name, x in clips:
                    y = logmel(x).transpose(0, 1).contiguous()
                    with open(os.path.join(parts[1], name + ".bin"), "wb") as f:
                        f.write(y.numpy().tobytes())
            print("ok", flush=True)
        elif parts[0] == "info":
            print(torch.__version__, torchaudio.__version__, torch.get_num_threads(), flush=True)


if __name__ == "__main__":
    main()
