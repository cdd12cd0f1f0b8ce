#!/usr/bin/python3
"""Writes the PyTorch parity fixtures for the C# engine (tests/Platform.Models.Tests/Fixtures/torch).

Each case is one safetensors file holding fixed inputs ("in.N"), module weights ("param.NAME"),
the outputs ("out.N"), a fixed upstream gradient per float output ("gout.N"), and the gradients
PyTorch computes for every float input ("grad.in.N") and parameter ("grad.param.NAME") from
sum_i (out_i * gout_i).sum(). The C# tests (TorchParityTests) run the same case on our engine.

Run with Debian's interpreter: /usr/bin/python3 tools/make_torch_fixtures.py
"""
import json
import math
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Platform.Models.Tests", "Fixtures", "torch")

DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64", torch.bool: "BOOL"}


def write_safetensors(path, tensors, metadata):
    """The safetensors layout, written directly (Debian has no python3-safetensors)."""
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous().cpu()
        data = t.numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def rand(*shape, positive=False):
    t = torch.randn(*shape)
    return t.abs() + 0.5 if positive else t


def save_case(name, inputs, outputs, params=None, extra=None):
    """Backpropagates sum(out * gout) and writes everything the C# side needs."""
    params = params or {}
    tensors = {f"in.{i}": x for i, x in enumerate(inputs)}
    tensors.update({f"param.{k}": v for k, v in params.items()})
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    total = None
    for i, out in enumerate(outputs):
        tensors[f"out.{i}"] = out
        if out.dtype.is_floating_point and out.requires_grad:
            gout = torch.randn(out.shape)
            tensors[f"gout.{i}"] = gout
            term = (out * gout).sum()
            total = term if total is None else total + term
    if total is not None:
        total.backward()
        for i, x in enumerate(inputs):
            if x.requires_grad and x.grad is not None:
                tensors[f"grad.in.{i}"] = x.grad
        for k, v in params.items():
            if v.requires_grad and v.grad is not None:
                tensors[f"grad.param.{k}"] = v.grad
    tensors.update(extra or {})
    write_safetensors(os.path.join(OUT, name + ".safetensors"), tensors, {"case": name, "torch": torch.__version__})


def op(name, fn, *inputs, seed=None, constant=()):
    """An op case; inputs at the `constant` positions (class weights) take no gradient."""
    inputs = [x.clone().requires_grad_(x.dtype.is_floating_point and i not in constant) for i, x in enumerate(inputs)]
    if seed is not None:
        torch.manual_seed(seed)
    save_case(name, inputs, fn(*inputs))


def module_case(name, module, *inputs, call=None):
    module.eval() if name.endswith("_eval") else module.train()
    params = dict(module.named_parameters())
    inputs = [x.clone().requires_grad_(x.dtype.is_floating_point) for x in inputs]
    outputs = call(module, *inputs) if call else module(*inputs)
    save_case(name, inputs, outputs, params)


def reference_sdpa(q, k, v, mask):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf")) if mask.dtype == torch.bool else scores + mask
    return scores.softmax(-1) @ v


def focal_reference(logits, target, gamma, alpha):
    log_pt = logits.log_softmax(1).gather(1, target[:, None]).squeeze(1)
    return (-(1 - log_pt.exp()) ** gamma * log_pt * alpha[target]).mean()


def supcon_reference(features, labels, temperature):
    """Khosla et al. (2020) L_out, written from the paper's equation 2."""
    z = F.normalize(features, dim=1)
    n = z.shape[0]
    losses = []
    for i in range(n):
        others = [a for a in range(n) if a != i]
        positives = [p for p in others if labels[p] == labels[i]]
        if not positives:
            continue
        denominator = torch.logsumexp(torch.stack([z[i] @ z[a] / temperature for a in others]), 0)
        losses.append(-torch.stack([z[i] @ z[p] / temperature - denominator for p in positives]).mean())
    return torch.stack(losses).mean()


def ops():
    a34, b34 = rand(3, 4), rand(3, 4)
    op("matmul", lambda a, b: a @ b, rand(3, 4, 5), rand(5, 6))
    op("bmm", torch.bmm, rand(2, 3, 4), rand(2, 4, 5))
    op("add", torch.add, a34, rand(4))
    op("sub", torch.sub, a34, b34)
    op("mul", torch.mul, a34, rand(3, 1))
    op("div", torch.div, a34, rand(3, 4, positive=True))
    op("pow", torch.pow, rand(3, 4, positive=True), b34)
    op("pow_scalar", lambda a: a ** 2.5, rand(3, 4, positive=True))
    op("scalar_arith", lambda a: (2.0 - a) * 3.0 + 1.0 / (a + 4.0), rand(3, 4, positive=True))
    op("exp", torch.exp, a34)
    op("log", torch.log, rand(3, 4, positive=True))
    op("sqrt", torch.sqrt, rand(3, 4, positive=True))
    op("relu", torch.relu, a34)
    op("gelu", F.gelu, a34)
    op("gelu_tanh", lambda a: F.gelu(a, approximate="tanh"), a34)
    op("silu", F.silu, a34)
    op("tanh", torch.tanh, a34)
    op("sigmoid", torch.sigmoid, a34)
    op("softmax", lambda a: a.softmax(-1), rand(2, 3, 4))
    op("log_softmax", lambda a: a.log_softmax(1), rand(2, 3, 4))
    op("layer_norm", lambda x, w, b: F.layer_norm(x, [8], w, b, 1e-5), rand(2, 3, 8), rand(8), rand(8))
    op("dropout", lambda x: F.dropout(x, 0.3, True), rand(4, 50), seed=123)
    op("cat", lambda a, b: torch.cat([a, b], 1), rand(2, 3), rand(2, 5))
    op("stack", lambda a, b: torch.stack([a, b], 0), rand(2, 3), rand(2, 3))
    op("split", lambda x: x.split(3, 0), rand(7, 4))
    op("chunk", lambda x: x.chunk(3, 1), rand(4, 6))
    op("reshape", lambda x: x.reshape(6, 4), rand(2, 3, 4))
    op("view", lambda x: x.view(4, 6), rand(2, 3, 4))
    op("permute", lambda x: x.permute(2, 0, 1), rand(2, 3, 4))
    op("transpose", lambda x: x.transpose(0, 2), rand(2, 3, 4))
    op("unsqueeze", lambda x: x.unsqueeze(1), rand(2, 3))
    op("expand", lambda x: x.expand(3, 4), rand(3, 1))
    op("index_slice", lambda x: x[1, 0:3:2], rand(2, 4, 5))
    mask = torch.tensor([[True, False, False, True], [False, False, True, False], [True, True, False, False]])
    op("masked_fill", lambda x, m: x.masked_fill(m, -1.5), a34, mask)
    op("where", lambda c, a, b: torch.where(c, a, b), mask, a34, b34)
    op("sum_dim", lambda x: x.sum(1, keepdim=True), rand(2, 3, 4))
    op("mean_dims", lambda x: x.mean((0, 2)), rand(2, 3, 4))
    op("sum_all", lambda x: x.sum(), rand(2, 3, 4))
    op("mean_all", lambda x: x.mean(), rand(2, 3, 4))
    op("max_dim", lambda x: x.max(1), rand(3, 5))
    op("argmax", lambda x: x.argmax(1), rand(3, 5))
    op("cosine_similarity", lambda a, b: F.cosine_similarity(a, b, 1), rand(4, 8), rand(4, 8))
    op("normalize", lambda x: F.normalize(x, dim=1), rand(4, 8))
    op("conv1d", lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1), rand(2, 3, 10), rand(4, 3, 3), rand(4))
    op("conv2d", lambda x, w, b: F.conv2d(x, w, b, padding=1), rand(2, 3, 8, 8), rand(4, 3, 3, 3), rand(4))
    op("pad_constant", lambda x: F.pad(x, (1, 2), value=0.5), rand(2, 3, 5))
    op("pad_reflect", lambda x: F.pad(x, (2, 1), mode="reflect"), rand(2, 3, 5))
    op("embedding", lambda w, i: F.embedding(i, w), rand(10, 4), torch.tensor([[1, 2, 0], [9, 3, 3]]))
    op("one_hot", lambda i: F.one_hot(i, 5), torch.tensor([0, 2, 1, 3]))
    op("gather", lambda x, i: x.gather(1, i), a34, torch.tensor([[0, 1], [2, 3], [1, 1]]))
    allowed = torch.rand(5, 6) > 0.3
    allowed[:, 0] = True
    op("sdpa_bool_mask", lambda q, k, v, m: reference_sdpa(q, k, v, m), rand(2, 2, 5, 8), rand(2, 2, 6, 8), rand(2, 2, 6, 8), allowed)
    op("sdpa_float_mask", lambda q, k, v, m: reference_sdpa(q, k, v, m), rand(2, 2, 5, 8), rand(2, 2, 6, 8), rand(2, 2, 6, 8), rand(2, 1, 5, 6))
    target = torch.tensor([0, 1, 4, 2, 2, 3])
    op("cross_entropy", lambda x, t, w: F.cross_entropy(x, t, weight=w, ignore_index=2), rand(6, 5), target, rand(5, positive=True), constant=(2,))
    op("cross_entropy_plain", lambda x, t: F.cross_entropy(x, t), rand(6, 5), target)
    op("mse_loss", F.mse_loss, a34, b34)
    op("nll_loss", lambda x, t: F.nll_loss(x, t), rand(6, 5).log_softmax(1), target)
    op("focal_loss", lambda x, t, al: focal_reference(x, t, 2.0, al), rand(6, 5), target, rand(5, positive=True), constant=(2,))
    op("supervised_contrastive_loss", lambda f, l: supcon_reference(f, l, 0.07), rand(8, 16), torch.tensor([0, 1, 0, 2, 1, 0, 3, 1]))


def layers():
    module_case("linear", nn.Linear(6, 4), rand(3, 6))
    module_case("layer_norm_module", nn.LayerNorm(8), rand(2, 3, 8))
    module_case("embedding_module", nn.Embedding(10, 4, padding_idx=0), torch.tensor([[1, 0, 3], [9, 0, 2]]))
    module_case("conv1d_module", nn.Conv1d(3, 4, 3, stride=1, padding=1), rand(2, 3, 9))
    module_case("conv2d_module", nn.Conv2d(3, 2, 3, stride=2, padding=1), rand(2, 3, 7, 7))
    module_case("sequential", nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 3)), rand(4, 5))

    key_padding = torch.tensor([[False, False, False, True, True], [False, False, False, False, False]])
    causal = torch.triu(torch.ones(5, 5, dtype=torch.bool), 1)
    module_case("mha_self", nn.MultiheadAttention(16, 4, batch_first=True), rand(2, 5, 16), key_padding, causal,
                call=lambda m, x, kpm, am: m(x, x, x, key_padding_mask=kpm, attn_mask=am, need_weights=True))
    module_case("mha_cross", nn.MultiheadAttention(16, 2), rand(4, 2, 16), rand(5, 2, 16), rand(5, 2, 16), rand(4, 5),
                call=lambda m, q, k, v, am: m(q, k, v, attn_mask=am, need_weights=False)[0])
    module_case("transformer_encoder_layer_eval", nn.TransformerEncoderLayer(16, 4, 32, dropout=0.1, batch_first=True), rand(2, 5, 16), key_padding,
                call=lambda m, x, kpm: m(x, src_key_padding_mask=kpm))
    module_case("transformer_encoder_layer_norm_first", nn.TransformerEncoderLayer(16, 2, 24, dropout=0.0, activation="gelu", norm_first=True), rand(5, 2, 16))

    module_case("mha_shared_kv", nn.MultiheadAttention(16, 4, batch_first=True), rand(2, 3, 16), rand(2, 5, 16),
                call=lambda m, q, kv: m(q, kv, kv, need_weights=False)[0])

    base = nn.Linear(6, 4)
    lora = LoRALinear(base, rank=2, alpha=8)
    nn.init.normal_(lora.lora_B.weight)  # non-zero so the low-rank path shows in the output
    module_case("lora_linear", lora, rand(3, 6))


class LoRALinear(nn.Module):
    """A Linear with a LoRA update (Hu et al.), as our Linear.attach_lora holds it: the frozen base
    weight and bias under the Linear's own names, PEFT's lora_A / lora_B beside them;
    y = x W^T + b + (alpha / r) B A dropout(x)."""

    def __init__(self, base, rank, alpha):
        super().__init__()
        self.weight = nn.Parameter(base.weight.detach().clone(), requires_grad=False)
        self.bias = nn.Parameter(base.bias.detach().clone(), requires_grad=False)
        self.lora_dropout = nn.Dropout(0.0)
        self.lora_A = nn.Linear(base.in_features, rank, bias=False)
        self.lora_B = nn.Linear(rank, base.out_features, bias=False)
        self.scaling = alpha / rank

    def forward(self, x):
        return F.linear(x, self.weight, self.bias) + self.lora_B(self.lora_A(self.lora_dropout(x))) * self.scaling


def optimizers():
    """Two steps of each optimizer on loss = sum(P * G_k) + 0.5 * sum(P^2), from the same start."""
    start, g1, g2 = rand(5, 4), rand(5, 4), rand(5, 4)
    configs = {
        "sgd_momentum": lambda p: torch.optim.SGD([p], lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01),
        "sgd_nesterov": lambda p: torch.optim.SGD([p], lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
        "adam": lambda p: torch.optim.Adam([p], lr=0.01, weight_decay=0.01),
        "adamw": lambda p: torch.optim.AdamW([p], lr=0.01, weight_decay=0.1),
    }
    for name, make in configs.items():
        p = start.clone().requires_grad_(True)
        optimizer = make(p)
        after = []
        for g in (g1, g2):
            optimizer.zero_grad(set_to_none=True)
            ((p * g).sum() + 0.5 * (p ** 2).sum()).backward()
            optimizer.step()
            after.append(p.detach().clone())
        write_safetensors(os.path.join(OUT, f"optim_{name}.safetensors"),
                          {"start": start, "g.0": g1, "g.1": g2, "after.0": after[0], "after.1": after[1]}, {"case": name})

    p1, p2 = rand(3, 4).requires_grad_(True), rand(6).requires_grad_(True)
    p1.grad, p2.grad = rand(3, 4) * 3, rand(6) * 3
    before = [p1.grad.clone(), p2.grad.clone()]
    total = torch.nn.utils.clip_grad_norm_([p1, p2], max_norm=1.0)
    write_safetensors(os.path.join(OUT, "clip_grad_norm.safetensors"),
                      {"grad.0": before[0], "grad.1": before[1], "clipped.0": p1.grad, "clipped.1": p2.grad, "total": total.reshape(1)},
                      {"case": "clip_grad_norm"})


def schedulers():
    """Learning rates over 30 steps: StepLR is PyTorch's; warm-up + cosine is HF's formula via LambdaLR."""
    def rates(make):
        optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.5)
        scheduler = make(optimizer)
        values = []
        for _ in range(30):
            values.append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            scheduler.step()
        return torch.tensor(values, dtype=torch.float64)

    def warmup_cosine(warmup, total):
        def factor(step):
            if step < warmup:
                return step / warmup
            progress = min(1.0, (step - warmup) / (total - warmup))
            return 0.5 * (1 + math.cos(math.pi * progress))
        return factor

    write_safetensors(os.path.join(OUT, "lr_schedules.safetensors"), {
        "step_lr": rates(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=7, gamma=0.5)),
        "warmup_cosine": rates(lambda o: torch.optim.lr_scheduler.LambdaLR(o, warmup_cosine(5, 25))),
    }, {"case": "lr_schedules"})


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(20261121)
    ops()
    layers()
    optimizers()
    schedulers()
    print(f"wrote {len(os.listdir(OUT))} fixtures to {os.path.normpath(OUT)} with torch {torch.__version__}", file=sys.stderr)


if __name__ == "__main__":
    main()
