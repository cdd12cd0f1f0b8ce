#!/usr/bin/python3
"""Converts a released BEATs checkpoint (microsoft/unilm beats: BEATs_iter3.pt, BEATs_iter3_plus_AS2M.pt, ...)
into a model folder EmotionLab loads: config.json (the checkpoint's cfg with model_type "beats") and
model.safetensors (its weights under their own names). Run once, with PyTorch, where the lab trusts the file:
a .pt is a pickle, which can run code, so the platform never reads one itself.

    /usr/bin/python3 tools/convert_beats_checkpoint.py BEATs_iter3.pt artifacts/models/beats-iter3

A fine-tuned checkpoint's AudioSet classifier ("predictor.") is kept in the file and skipped at load time.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_torch_fixtures import write_safetensors  # noqa: E402


def convert(checkpoint, folder):
    if "cfg" not in checkpoint or "model" not in checkpoint:
        raise SystemExit(f"not a BEATs checkpoint: expected the keys 'cfg' and 'model', found {sorted(checkpoint)}")
    os.makedirs(folder, exist_ok=True)
    config = {"model_type": "beats", "architectures": ["BEATs"], **dict(checkpoint["cfg"])}
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2, default=str)
    # The layers share one relative position embedding, which PyTorch saves once per layer: copies keep each tensor whole.
    # bfloat16 widens to float32 without loss (the writer goes through NumPy, which has no bfloat16).
    state = {name: (tensor.float() if tensor.dtype == torch.bfloat16 else tensor).detach().contiguous().clone()
             for name, tensor in checkpoint["model"].items()}
    write_safetensors(os.path.join(folder, "model.safetensors"), state, {"format": "pt"})
    return folder


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    print("wrote", convert(torch.load(sys.argv[1], map_location="cpu"), sys.argv[2]))
