#!/usr/bin/python3
"""Writes the torchaudio parity fixtures for the audio front-end (tests/Platform.Models.Tests/Fixtures/audio).

- rfft_400.safetensors: "in" = 8 random frames of 400 samples, "re"/"im" = torch.fft.rfft of them.
- melscale_fbanks.safetensors: "fb" = torchaudio.functional.melscale_fbanks(201, 0, 8000, 80, 16000) (htk, norm None).
- logmel_<signal>.safetensors: "in" = a 16 kHz waveform, "out" = log(MelSpectrogram(...)(in) + 1e-6)
  transposed to (frames, 80), with n_fft 400, hop 160, Hann window, power 2, center/reflect.
- resample_<from>_<to>.safetensors: "in" = a waveform at <from> Hz, "out" = torchaudio.functional.resample
  to <to> Hz with its defaults (lowpass_filter_width 6, rolloff 0.99, Hann-windowed sinc).
- wav_<layout>.wav + wav_<layout>.safetensors: a tiny file written by Python's wave module and the
  samples it holds ("samples", frames x channels, integer value / 2^(bits-1)), to check our reader
  against an independent writer.
- kaldi_fbank_<signal>.safetensors: "in" = a 16 kHz waveform in [-1, 1], "out" =
  torchaudio.compliance.kaldi.fbank(in * 2^15, num_mel_bins=128) with its other defaults: BEATs'
  front-end (BEATs.py's preprocess before its mean/std normalisation); "out64" = the same in float64,
  which says how far float32 rounding alone moves torchaudio's values.

Signals are short (0.3-1 s) so the committed files stay small. Deterministic (fixed seed).
Run with Debian's interpreter: /usr/bin/python3 tools/make_audio_fixtures.py
"""
import math
import os
import sys
import wave

import torch
import torchaudio

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_torch_fixtures import write_safetensors  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Platform.Models.Tests", "Fixtures", "audio")
LOG_OFFSET = 1e-6


def tone(rate, seconds, hz, amplitude=0.5):
    t = torch.arange(int(rate * seconds), dtype=torch.float64) / rate
    return (amplitude * torch.sin(2 * math.pi * hz * t)).float()


def chirp(rate, seconds, f0, f1, amplitude=0.5):
    """Linear chirp: the instantaneous frequency goes from f0 to f1."""
    t = torch.arange(int(rate * seconds), dtype=torch.float64) / rate
    phase = 2 * math.pi * (f0 * t + (f1 - f0) / (2 * seconds) * t * t)
    return (amplitude * torch.sin(phase)).float()


def noise(rate, seconds, amplitude=0.3):
    return (amplitude * torch.randn(int(rate * seconds), dtype=torch.float64)).float()


def voiced(rate, seconds):
    """A speech-like harmonic complex: F0 gliding 120->180 Hz, 1/k harmonics, syllable-rate envelope, a pause."""
    t = torch.arange(int(rate * seconds), dtype=torch.float64) / rate
    phase = 2 * math.pi * (120 * t + 30 / seconds * t * t)
    x = sum(torch.sin(k * phase) / k for k in range(1, 20))
    envelope = 0.5 * (1 - torch.cos(2 * math.pi * 4 * t)) * (t < 0.7 * seconds)
    return (0.2 * x * envelope).float()


def logmel(x):
    mel = torchaudio.transforms.MelSpectrogram(sample_rate=16000, n_fft=400, hop_length=160, n_mels=80)
    return torch.log(mel(x) + LOG_OFFSET).transpose(0, 1).contiguous()


def write_wav(name, samples, rate, bits):
    """samples: integer tensor (frames, channels); written with Python's wave module (PCM)."""
    frames, channels = samples.shape
    data = bytearray()
    for v in samples.reshape(-1).tolist():
        if bits == 8:
            data += bytes([v + 128])
        else:
            data += int(v).to_bytes(bits // 8, "little", signed=True)
    with wave.open(os.path.join(OUT, name + ".wav"), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(bits // 8)
        w.setframerate(rate)
        w.writeframes(bytes(data))
    write_safetensors(os.path.join(OUT, name + ".safetensors"),
                      {"samples": samples.double() / 2 ** (bits - 1)},
                      {"rate": str(rate), "bits": str(bits), "channels": str(channels)})


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    meta = {"torch": torch.__version__, "torchaudio": torchaudio.__version__}

    fb = torchaudio.functional.melscale_fbanks(201, 0.0, 8000.0, 80, 16000, norm=None, mel_scale="htk")
    write_safetensors(os.path.join(OUT, "melscale_fbanks.safetensors"), {"fb": fb}, meta)

    frames = torch.randn(8, 400)
    spectrum = torch.fft.rfft(frames)  # pocketfft on CPU builds without MKL: what torch.stft runs
    write_safetensors(os.path.join(OUT, "rfft_400.safetensors"),
                      {"in": frames, "re": spectrum.real.contiguous(), "im": spectrum.imag.contiguous()}, meta)

    signals = {
        "tone": tone(16000, 1.0, 440.0),
        "chirp": chirp(16000, 1.0, 100.0, 7500.0),
        "noise": noise(16000, 0.5),
        "voiced": voiced(16000, 1.0)[:15937],  # not a whole number of hops
        "short": noise(16000, 0.02),           # 320 samples: 3 frames, reflect padding reaches the far end
    }
    for name, x in signals.items():
        write_safetensors(os.path.join(OUT, f"logmel_{name}.safetensors"), {"in": x, "out": logmel(x)}, meta)

    for source, target, x in [(44100, 16000, chirp(44100, 0.3, 50.0, 21000.0)),
                              (48000, 16000, noise(48000, 0.3)),
                              (22050, 16000, voiced(22050, 0.3)),
                              (8000, 16000, chirp(8000, 0.5, 100.0, 3900.0))]:
        y = torchaudio.functional.resample(x, source, target)
        write_safetensors(os.path.join(OUT, f"resample_{source}_{target}.safetensors"), {"in": x, "out": y}, meta)

    ramp = torch.arange(-50, 50, dtype=torch.int64)
    write_wav("wav_pcm16_stereo", torch.stack([ramp * 300, -ramp * 655 - 1], dim=1), 22050, 16)
    write_wav("wav_pcm24_mono", (ramp * 83885 + 7).unsqueeze(1), 44100, 24)
    write_wav("wav_pcm8_stereo", torch.stack([ramp, (ramp * 2).clamp(-128, 127)], dim=1), 8000, 8)
    write_wav("wav_pcm32_3ch", torch.stack([ramp * 21474836, ramp * -1000, ramp * 0 + 2147483647], dim=1), 16000, 32)

    # Last, so the signals above keep their random draws.
    for name, x in {"voiced": voiced(16000, 0.8)[:12345], "noise": noise(16000, 0.3), "tone": tone(16000, 0.3, 3000.0, 0.01)}.items():
        fbank = torchaudio.compliance.kaldi.fbank(x.unsqueeze(0) * 2 ** 15, num_mel_bins=128, sample_frequency=16000,
                                                  frame_length=25, frame_shift=10)
        exact = torchaudio.compliance.kaldi.fbank(x.double().unsqueeze(0) * 2 ** 15, num_mel_bins=128, sample_frequency=16000,
                                                  frame_length=25, frame_shift=10)
        write_safetensors(os.path.join(OUT, f"kaldi_fbank_{name}.safetensors"), {"in": x, "out": fbank, "out64": exact}, meta)

    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} fixtures ({total // 1024} KiB) to {os.path.normpath(OUT)} "
          f"with torch {torch.__version__}, torchaudio {torchaudio.__version__}", file=sys.stderr)


if __name__ == "__main__":
    main()
