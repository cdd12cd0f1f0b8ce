#!/usr/bin/python3
"""PyTorch eager side of `Platform.Worker bench engine`: the same matmul and BCAF step spec
(shared/BENCHMARKS.md) as Platform.Worker/Benchmarks/BcafStepModel.cs, on Debian's python3-torch
(the same libtorch and OpenBLAS as our engine).

It is driven over stdin/stdout, as our side (`Platform.Worker bench engine-peer`) is, and the C#
benchmark runs each side alone in its own process, in turns:
  matmul N  -> prints one line of N GFLOP/s figures
  bcaf N    -> prints one line of N step times in ms, each total/forward/backward/optimizer
  bcaf_bf16 N -> the same with the forward pass and loss under torch.autocast("cpu", torch.bfloat16)
  info      -> prints parameter count and thread count
  quit
"""
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH, UTTERANCES, FEATURES, LATENT, CLASSES, DROPOUT = 32, 12, 1024, 512, 7, 0.3


def encoder():
    return nn.Sequential(nn.Linear(1024, 768), nn.ReLU(), nn.Dropout(DROPOUT),
                         nn.Linear(768, 640), nn.ReLU(), nn.Dropout(DROPOUT),
                         nn.Linear(640, 512), nn.ReLU(), nn.Dropout(DROPOUT))


def decoder():
    return nn.Sequential(nn.Linear(512, 640), nn.ReLU(), nn.Dropout(DROPOUT),
                         nn.Linear(640, 768), nn.ReLU(), nn.Dropout(DROPOUT),
                         nn.Linear(768, 1024))


class CrossBlock(nn.Module):
    """LN(x + MHA(x, other, other)), then LN(x + FFN(x))."""

    def __init__(self):
        super().__init__()
        self.attention = nn.MultiheadAttention(FEATURES, 8, DROPOUT, batch_first=True)
        self.norm1, self.norm2 = nn.LayerNorm(FEATURES), nn.LayerNorm(FEATURES)
        self.linear1, self.linear2 = nn.Linear(FEATURES, 4096), nn.Linear(4096, FEATURES)
        self.dropout1, self.dropout2 = nn.Dropout(DROPOUT), nn.Dropout(DROPOUT)

    def forward(self, x, other):
        attended = self.attention(x, other, other, need_weights=False)[0]
        y = self.norm1(x + self.dropout1(attended))
        return self.norm2(y + self.dropout2(self.linear2(F.relu(self.linear1(y)))))


class BcafStepModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.audio_encoder, self.text_encoder = encoder(), encoder()
        self.audio_decoder, self.text_decoder = decoder(), decoder()
        self.audio_self = nn.TransformerEncoderLayer(FEATURES, 8, 4096, DROPOUT, batch_first=True)
        self.text_self = nn.TransformerEncoderLayer(FEATURES, 8, 4096, DROPOUT, batch_first=True)
        self.audio_cross, self.text_cross = CrossBlock(), CrossBlock()
        self.qa, self.ka, self.va, self.ql, self.kl, self.vl = (nn.Linear(FEATURES, FEATURES, bias=False) for _ in range(6))
        self.joint_to_latent = nn.Linear(FEATURES, LATENT)
        self.classifier = nn.Sequential(nn.Linear(3072, 1024), nn.ReLU(), nn.Dropout(DROPOUT),
                                        nn.Linear(1024, 512), nn.ReLU(), nn.Dropout(DROPOUT),
                                        nn.Linear(512, 256), nn.ReLU(), nn.Dropout(DROPOUT),
                                        nn.Linear(256, CLASSES))
        self.audio_head, self.text_head = nn.Linear(FEATURES, CLASSES), nn.Linear(FEATURES, CLASSES)
        self.lam = nn.Parameter(torch.full((1,), 0.5))
        self.register_buffer("eye_latent", torch.eye(LATENT))
        self.register_buffer("eye_features", torch.eye(FEATURES))

    def loss(self, audio, text, labels):
        ea, el = self.audio_encoder(audio), self.text_encoder(text)
        da, dl = self.audio_decoder(ea), self.text_decoder(el)
        n = float(BATCH * UTTERANCES)
        fa, fl = ea.reshape(-1, LATENT), el.reshape(-1, LATENT)
        ra, rl = da.reshape(-1, FEATURES), dl.reshape(-1, FEATURES)
        connection = F.mse_loss(da, audio) + F.mse_loss(dl, text) + 0.1 * (
            F.mse_loss(fa.mT @ fl / n, self.eye_latent) + F.mse_loss(ra.mT @ rl / n, self.eye_features))

        sa, sl = self.audio_self(audio), self.text_self(text)
        ca, cl = self.audio_cross(sa, sl), self.text_cross(sl, sa)

        scale = 1.0 / math.sqrt(FEATURES)
        qa, ka, ql, kl = self.qa(audio), self.ka(audio), self.ql(text), self.kl(text)
        intra = ((qa @ ka.mT + ql @ kl.mT) * scale).softmax(-1)
        cross = (qa @ kl.mT * scale).softmax(-1)
        values = (self.va(audio) + self.vl(text)) * 0.5
        joint = (intra - cross * self.lam) @ values
        bimodal = self.joint_to_latent(joint)
        cor_a = F.cosine_similarity(ea, bimodal, -1).unsqueeze(-1)
        cor_l = F.cosine_similarity(el, bimodal, -1).unsqueeze(-1)

        fused = torch.cat([ca, cl, ea * cor_a, el * cor_l], -1)
        flat = labels.reshape(-1)
        ce = lambda logits: F.cross_entropy(logits.reshape(-1, CLASSES), flat)
        return 0.1 * connection + 0.5 * (ce(self.audio_head(sa)) + ce(self.text_head(sl))) + ce(self.classifier(fused))


def main():
    torch.manual_seed(0)
    model = BcafStepModel().train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, weight_decay=1e-4)
    audio = torch.randn(BATCH, UTTERANCES, FEATURES)
    text = torch.randn(BATCH, UTTERANCES, FEATURES)
    labels = torch.randint(0, CLASSES, (BATCH, UTTERANCES))
    a = torch.randn(1024, 1024, requires_grad=True)
    b = torch.randn(1024, 1024, requires_grad=True)
    print("ready", flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            break
        if parts[0] == "info":
            params = sum(p.numel() for p in model.parameters())
            print(f"{params} {torch.get_num_threads()} {torch.__version__}", flush=True)
            continue
        count, figures = int(parts[1]), []
        for _ in range(count):
            if parts[0] == "matmul":
                a.grad = b.grad = None
                start = time.perf_counter()
                (a @ b).sum().backward()
                figures.append(3 * 2 * 1024 ** 3 / (time.perf_counter() - start) / 1e9)
            else:
                start = time.perf_counter()
                optimizer.zero_grad(set_to_none=True)
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=parts[0] == "bcaf_bf16"):
                    loss = model.loss(audio, text, labels)
                loss = loss.float()
                forward = time.perf_counter()
                loss.backward()
                backward = time.perf_counter()
                optimizer.step()
                loss.item()
                end = time.perf_counter()
                figures.append("/".join(f"{(b - a) * 1000:.3f}" for a, b in ((start, end), (start, forward), (forward, backward), (backward, end))))
        print(" ".join(f if isinstance(f, str) else f"{f:.3f}" for f in figures), flush=True)


if __name__ == "__main__":
    main()
