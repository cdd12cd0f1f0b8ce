#!/usr/bin/python3
"""PyTorch side of `Platform.Worker bench encoders`: torchaudio's own HuBERT (hubert_base(),
Debian's python3-torchaudio) with the weights of the HF-layout folder our side loads, forward
over the same batch of audio. Names map as in tools/make_pretrained_fixtures.py
(feature_projection. -> encoder.feature_projection., encoder. -> encoder.transformer.).

Driven over stdin/stdout like tools/bench_engine.py:
  info          -> parameter count, thread count, torch version
  hubert N      -> N forward times in ms (no grad)
  hubert_bf16 N -> the same under torch.autocast("cpu", torch.bfloat16)
  output        -> max |x| of the last hidden state and its first four values
  quit
Usage: bench_encoders.py FOLDER BATCH SECONDS
"""
import json
import struct
import sys
import time

import torch
import torchaudio

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    length = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + length])
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        start, end = entry["data_offsets"]
        raw = bytearray(data[8 + length + start:8 + length + end])
        tensors[name] = torch.frombuffer(raw, dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"]).float()
    return tensors


def main():
    folder, batch, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    model = torchaudio.models.hubert_base().eval()
    state = {}
    for name, value in read_safetensors(folder + "/model.safetensors").items():
        if name == "masked_spec_embed":
            continue
        if name.startswith("feature_projection."):
            name = "encoder." + name
        elif name.startswith("encoder."):
            name = "encoder.transformer." + name[len("encoder."):]
        state[name] = value
    model.load_state_dict(state, strict=True)
    # PyTorch 1.13's CPU group_norm / layer_norm refuse a bfloat16 input with float32 weights under
    # autocast; normalise such inputs in float32, as our engine does (native/nn_api.cpp).
    for module in model.modules():
        if isinstance(module, (torch.nn.GroupNorm, torch.nn.LayerNorm)):
            module.register_forward_pre_hook(lambda _, inputs: tuple(x.float() for x in inputs))
    torch.manual_seed(0)
    audio = torch.randn(batch, int(seconds * 16000)) * 0.1
    print("ready", flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            break
        if parts[0] == "info":
            print(f"{sum(p.numel() for p in model.parameters())} {torch.get_num_threads()} {torch.__version__}", flush=True)
            continue
        if parts[0] == "output":
            with torch.no_grad():
                last = model(audio)[0]
            print(" ".join(f"{v:.6f}" for v in [last.abs().max().item()] + last.flatten()[:4].tolist()), flush=True)
            continue
        times = []
        for _ in range(int(parts[1])):
            start = time.perf_counter()
            with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=parts[0] == "hubert_bf16"):
                model(audio)[0].float().sum().item()
            times.append((time.perf_counter() - start) * 1000)
        print(" ".join(f"{t:.3f}" for t in times), flush=True)


if __name__ == "__main__":
    main()
