#!/usr/bin/python3
"""Writes the pretrained-architecture parity fixtures (tests/Platform.Models.Tests/Fixtures/pretrained).

Each case is a tiny random-weight model folder in Hugging Face's layout (config.json +
model.safetensors, HF parameter names) plus reference.safetensors: the inputs, the outputs of an
independent implementation, and for the text models the gradients of every parameter from
sum(output * gout). The C# tests load each folder through our loader and compare.

Oracles:
- wav2vec 2.0 / HuBERT: torchaudio 0.13's own implementation (torchaudio.models.wav2vec2_model),
  its names mapped to HF's (encoder.feature_projection. -> feature_projection.,
  encoder.transformer. -> encoder.).
- WavLM: torchaudio's wav2vec2_model for the conv feature encoder, feature projection, positional
  conv and each layer's projections, norms and feed-forward, with the gated relative position bias
  of HF's modeling_wavlm.py (v4.46) written below (torchaudio 0.13 has no WavLM).
- BEATs: the reference modules below, written from microsoft/unilm beats/BEATs.py and backbone.py
  (commit c68101b) in their fairseq layout (time-first tensors, the query pre-scaled by 1/32 and the
  scores' max subtracted, the position-bias gate from the projected query), with torchaudio's own
  kaldi.fbank as the front-end; the folder is written through tools/convert_beats_checkpoint.py from a
  {"cfg", "model"} checkpoint as the released .pt files hold.
- LLaMA, Qwen2, BERT/RoBERTa: the reference modules below, written from the published
  architectures as HF transformers v4.46 implements them (modeling_llama.py, modeling_qwen2.py,
  modeling_bert.py, modeling_roberta.py), with plain torch.nn.
(Real BERT weights are checked separately against ONNX Runtime running all-MiniLM-L6-v2.)

Tokenizer oracles, written into the same folders with tokenizer-cases.json (text -> ids):
- llama: a SentencePiece BPE tokenizer.model (byte fallback, identity normalisation, as LLaMA's)
  trained here with python3-sentencepiece, whose encode() gives the ids.
- roberta: a byte-level BPE vocab.json + merges.txt learned here, with ids from GPT-2's published
  reference algorithm (encoder.py's bytes_to_unicode + bpe), wrapped as RoBERTa's <s> ... </s>.

Run with Debian's interpreter: /usr/bin/python3 tools/make_pretrained_fixtures.py
"""
import json
import math
import os
import shutil
import sys

import io
import re

import sentencepiece
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchaudio

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_torch_fixtures import write_safetensors  # noqa: E402
from convert_beats_checkpoint import convert as convert_beats  # noqa: E402
import torchaudio.compliance.kaldi as kaldi  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "Platform.Models.Tests", "Fixtures", "pretrained")


def save_folder(name, config, state, reference):
    folder = os.path.join(OUT, name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    write_safetensors(os.path.join(folder, "model.safetensors"), {k: v.detach() for k, v in state.items()}, {"format": "pt"})
    write_safetensors(os.path.join(folder, "reference.safetensors"), {k: v.detach() for k, v in reference.items()}, {})
    print("wrote", folder)


TOKENIZER_TEXT = [
    "I can't believe you did that!", "Oh wow, that's wonderful news.", "Why would you say that to me?",
    "I'm fine, thanks. And you?", "Café déjà vu, naïve résumé.", "Leave me alone, I'm so angry right now!",
    "That is disgusting.", "I am scared of what happens next.", "Okay okay okay, whatever you want.",
    "We won the game! We actually won!", "Sorry... I just miss her so much.", "Hmm, neutral, calm, nothing special.",
]
TOKENIZER_CASES = [
    "I can't believe you did that!", "Café   déjà vu 😀", "unknownwordzzz qqq", "  leading and trailing  ",
    "Tabs\tand\nnewlines", "joy anger sadness neutral surprise fear disgust", "",
]


def write_cases(folder, cases):
    with open(os.path.join(OUT, folder, "tokenizer-cases.json"), "w") as f:
        json.dump([{"text": t, "ids": ids} for t, ids in cases], f, ensure_ascii=False, indent=1)


def sentencepiece_tokenizer(folder):
    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(TOKENIZER_TEXT * 4), model_writer=model, vocab_size=320, model_type="bpe",
        byte_fallback=True, normalization_rule_name="identity", add_dummy_prefix=True, split_digits=True,
        unk_id=0, bos_id=1, eos_id=2, pad_id=-1, character_coverage=1.0, minloglevel=2)
    with open(os.path.join(OUT, folder, "tokenizer.model"), "wb") as f:
        f.write(model.getvalue())
    sp = sentencepiece.SentencePieceProcessor(model_proto=model.getvalue())
    with open(os.path.join(OUT, folder, "tokenizer_config.json"), "w") as f:
        json.dump({"add_bos_token": True, "add_eos_token": False, "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"}, f)
    write_cases(folder, [(t, [sp.bos_id()] + sp.encode(t)) for t in TOKENIZER_CASES])


def bytes_to_unicode():
    """GPT-2's map of the 256 bytes to printable characters (encoder.py)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


GPT2_SPLIT = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?[^\s\w]+|\s+(?!\S)|\s+""")


def gpt2_words(text):
    b2u = bytes_to_unicode()
    return ["".join(b2u[b] for b in w.encode("utf-8")) for w in GPT2_SPLIT.findall(text)]


def gpt2_bpe(word, ranks):
    """GPT-2's bpe(): repeatedly merge the lowest-ranked adjacent pair."""
    parts = list(word)
    while len(parts) > 1:
        pairs = [(ranks.get((a, b), 1 << 30), i) for i, (a, b) in enumerate(zip(parts, parts[1:]))]
        rank, i = min(pairs)
        if rank == 1 << 30:
            break
        first, second = parts[i], parts[i + 1]
        merged, j = [], 0
        while j < len(parts):
            if j < len(parts) - 1 and parts[j] == first and parts[j + 1] == second:
                merged.append(first + second)
                j += 2
            else:
                merged.append(parts[j])
                j += 1
        parts = merged
    return parts


def byte_level_bpe_tokenizer(folder, merges_wanted=120):
    words = [w for t in TOKENIZER_TEXT for w in gpt2_words(t)]
    corpus = [list(w) for w in words]
    merges = []
    for _ in range(merges_wanted):  # learn merges: the most frequent adjacent pair, ties by first seen
        counts = {}
        for w in corpus:
            for pair in zip(w, w[1:]):
                counts[pair] = counts.get(pair, 0) + 1
        if not counts:
            break
        best = max(counts, key=lambda p: counts[p])
        merges.append(best)
        corpus = [gpt2_bpe("".join(w), {m: r for r, m in enumerate(merges)}) for w in corpus]
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for ch in bytes_to_unicode().values():
        vocab.setdefault(ch, len(vocab))
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    with open(os.path.join(OUT, folder, "vocab.json"), "w") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(OUT, folder, "merges.txt"), "w") as f:
        f.write("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges))
    with open(os.path.join(OUT, folder, "tokenizer_config.json"), "w") as f:
        json.dump({"bos_token": "<s>", "eos_token": "</s>", "cls_token": "<s>", "sep_token": "</s>", "unk_token": "<unk>",
                   "pad_token": "<pad>", "add_prefix_space": False}, f)
    ranks = {m: r for r, m in enumerate(merges)}
    cases = [(t, [0] + [vocab[p] for w in gpt2_words(t) for p in gpt2_bpe(w, ranks)] + [2]) for t in TOKENIZER_CASES]
    write_cases(folder, cases)


# ---- wav2vec 2.0 / HuBERT through torchaudio -----------------------------------------------

def speech_case(name, model_type, extractor_mode, layer_norm_first, conv_bias, seed):
    torch.manual_seed(seed)
    convs = [(16, 10, 5), (16, 3, 2), (16, 2, 2)]
    model = torchaudio.models.wav2vec2_model(
        extractor_mode=extractor_mode, extractor_conv_layer_config=convs, extractor_conv_bias=conv_bias,
        encoder_embed_dim=32, encoder_projection_dropout=0.0, encoder_pos_conv_kernel=8, encoder_pos_conv_groups=4,
        encoder_num_layers=2, encoder_num_heads=4, encoder_attention_dropout=0.0, encoder_ff_interm_features=48,
        encoder_ff_interm_dropout=0.0, encoder_dropout=0.0, encoder_layer_norm_first=layer_norm_first,
        encoder_layer_drop=0.0, aux_num_out=None).eval()
    with torch.no_grad():  # torchaudio initialises norms to identity: randomise them so they are tested
        for n, p in model.named_parameters():
            if "layer_norm" in n or n.endswith("weight_g"):
                p.add_(torch.randn_like(p) * 0.1)
    state = {}
    for n, p in model.state_dict().items():
        n = n.replace("encoder.feature_projection.", "feature_projection.").replace("encoder.transformer.", "encoder.")
        state[n] = p
    state["masked_spec_embed"] = torch.rand(32)
    config = {
        "model_type": model_type, "architectures": ["HubertModel" if model_type == "hubert" else "Wav2Vec2Model"],
        "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 48,
        "hidden_act": "gelu", "feat_extract_norm": "group" if extractor_mode == "group_norm" else "layer",
        "feat_extract_activation": "gelu", "conv_dim": [c[0] for c in convs], "conv_kernel": [c[1] for c in convs],
        "conv_stride": [c[2] for c in convs], "conv_bias": conv_bias, "num_conv_pos_embeddings": 8,
        "num_conv_pos_embedding_groups": 4, "do_stable_layer_norm": layer_norm_first, "layer_norm_eps": 1e-5,
        "mask_time_prob": 0.05, "feat_proj_layer_norm": True,
    }
    wave = torch.randn(2, 1600)
    with torch.no_grad():
        last, _ = model(wave)
        layers = model.extract_features(wave)[0]
    reference = {"in.waveform": wave, "out.last_hidden_state": last}
    for i, h in enumerate(layers[:-1] if layer_norm_first else layers):
        reference[f"out.layer.{i}"] = h  # hidden_states[i + 1] in HF's numbering
    save_folder(name, config, state, reference)


# ---- WavLM: torchaudio's wav2vec 2.0 parts + the gated relative position bias ----------------

def wavlm_buckets(length, num_buckets, max_distance):
    """HF WavLMAttention._relative_positions_bucket of (key - query)."""
    context = torch.arange(length)[:, None]
    memory = torch.arange(length)[None, :]
    relative = memory - context
    half = num_buckets // 2
    buckets = (relative > 0).to(torch.long) * half
    relative = torch.abs(relative)
    exact = half // 2
    is_small = relative < exact
    large = torch.log(relative.float() / exact) / math.log(max_distance / exact) * (half - exact)
    large = (exact + large).to(torch.long)
    large = torch.min(large, torch.full_like(large, half - 1))
    return buckets + torch.where(is_small, relative, large)


def wavlm_case(name, seed):
    torch.manual_seed(seed)
    convs = [(16, 10, 5), (16, 3, 2), (16, 2, 2)]
    heads, hidden, buckets, max_distance = 4, 32, 16, 20
    model = torchaudio.models.wav2vec2_model(
        extractor_mode="group_norm", extractor_conv_layer_config=convs, extractor_conv_bias=False,
        encoder_embed_dim=hidden, encoder_projection_dropout=0.0, encoder_pos_conv_kernel=8, encoder_pos_conv_groups=4,
        encoder_num_layers=2, encoder_num_heads=heads, encoder_attention_dropout=0.0, encoder_ff_interm_features=48,
        encoder_ff_interm_dropout=0.0, encoder_dropout=0.0, encoder_layer_norm_first=False,
        encoder_layer_drop=0.0, aux_num_out=None).eval()
    with torch.no_grad():
        for n, p in model.named_parameters():
            if "layer_norm" in n or n.endswith("weight_g"):
                p.add_(torch.randn_like(p) * 0.1)
    head_dim = hidden // heads
    rel_attn_embed = nn.Embedding(buckets, heads)
    gru_linear = [nn.Linear(head_dim, 8) for _ in range(2)]
    gru_const = [torch.ones(1, heads, 1, 1) + torch.randn(1, heads, 1, 1) * 0.1 for _ in range(2)]

    wave = torch.randn(2, 1600)
    with torch.no_grad():
        x, _ = model.feature_extractor(wave, None)
        x = model.encoder.feature_projection(x)
        t = model.encoder.transformer
        x = t.layer_norm(x + t.pos_conv_embed(x))
        b, length, _ = x.shape
        bias = rel_attn_embed(wavlm_buckets(length, buckets, max_distance)).permute(2, 0, 1)  # (H, T, T)
        hidden_states = [x]
        for i, layer in enumerate(t.layers):
            a = layer.attention
            split = lambda y: y.view(b, length, heads, head_dim).transpose(1, 2)
            q, k, v = split(a.q_proj(x)), split(a.k_proj(x)), split(a.v_proj(x))
            gates = torch.sigmoid(gru_linear[i](split(x)).view(b, heads, length, 2, 4).sum(-1))
            gate_a, gate_b = gates.chunk(2, dim=-1)
            gate = gate_a * (gate_b * gru_const[i] - 1.0) + 2.0
            scores = q @ k.transpose(-1, -2) / math.sqrt(head_dim) + gate * bias[None]
            attended = a.out_proj((scores.softmax(-1) @ v).transpose(1, 2).reshape(b, length, hidden))
            x = layer.layer_norm(x + attended)
            x = layer.final_layer_norm(x + layer.feed_forward(x))
            hidden_states.append(x)
    state = {}
    for n, p in model.state_dict().items():
        state[n.replace("encoder.feature_projection.", "feature_projection.").replace("encoder.transformer.", "encoder.")] = p
    state["masked_spec_embed"] = torch.rand(hidden)
    state["encoder.layers.0.attention.rel_attn_embed.weight"] = rel_attn_embed.weight
    for i in range(2):
        state[f"encoder.layers.{i}.attention.gru_rel_pos_linear.weight"] = gru_linear[i].weight
        state[f"encoder.layers.{i}.attention.gru_rel_pos_linear.bias"] = gru_linear[i].bias
        state[f"encoder.layers.{i}.attention.gru_rel_pos_const"] = gru_const[i]
    config = {
        "model_type": "wavlm", "architectures": ["WavLMModel"], "hidden_size": hidden, "num_hidden_layers": 2,
        "num_attention_heads": heads, "intermediate_size": 48, "hidden_act": "gelu", "feat_extract_norm": "group",
        "feat_extract_activation": "gelu", "conv_dim": [c[0] for c in convs], "conv_kernel": [c[1] for c in convs],
        "conv_stride": [c[2] for c in convs], "conv_bias": False, "num_conv_pos_embeddings": 8, "num_conv_pos_embedding_groups": 4,
        "do_stable_layer_norm": False, "layer_norm_eps": 1e-5, "mask_time_prob": 0.05, "num_buckets": buckets,
        "max_bucket_distance": max_distance,
    }
    reference = {"in.waveform": wave, "out.last_hidden_state": hidden_states[-1]}
    for i, h in enumerate(hidden_states[1:]):
        reference[f"out.layer.{i}"] = h
    save_folder(name, config, state, reference)


# ---- BEATs reference (microsoft/unilm beats, commit c68101b) --------------------------------

class BeatsAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, self.heads = c["encoder_embed_dim"], c["encoder_attention_heads"]
        self.head_dim = d // self.heads
        self.scaling = self.head_dim ** -0.5
        self.c = c
        if c["relative_position_embedding"]:
            self.relative_attention_bias = nn.Embedding(c["num_buckets"], self.heads)
        self.k_proj, self.v_proj, self.q_proj, self.out_proj = (nn.Linear(d, d) for _ in range(4))
        if c["gru_rel_pos"]:
            self.grep_linear = nn.Linear(self.head_dim, 8)
            self.grep_a = nn.Parameter(torch.ones(1, self.heads, 1, 1))

    def forward(self, x, pos_bias):  # x (T, B, D)
        length, b, d = x.shape
        h, hd, alpha = self.heads, self.head_dim, 32
        if self.c["relative_position_embedding"] and pos_bias is None:
            buckets = wavlm_buckets(length, self.c["num_buckets"], self.c["max_distance"])  # BEATs' buckets are WavLM's
            pos_bias = self.relative_attention_bias(buckets).permute(2, 0, 1)
            pos_bias = pos_bias.unsqueeze(0).repeat(b, 1, 1, 1).view(b * h, length, length)
        q = self.q_proj(x) * self.scaling * (1 / alpha)
        q = q.contiguous().view(length, b * h, hd).transpose(0, 1)
        k = self.k_proj(x).contiguous().view(length, b * h, hd).transpose(0, 1)
        v = self.v_proj(x).contiguous().view(length, b * h, hd).transpose(0, 1)
        w = torch.bmm(q, k.transpose(1, 2))
        w = (w - w.max(dim=-1, keepdim=True)[0]) * alpha
        if pos_bias is not None:
            rel = pos_bias
            if self.c["gru_rel_pos"]:
                query = q.view(b, h, length, hd) * alpha / self.scaling
                gate_a, gate_b = torch.sigmoid(self.grep_linear(query).view(b, h, length, 2, 4).sum(-1)).chunk(2, dim=-1)
                rel = (gate_a * (gate_b * self.grep_a - 1.0) + 2.0).view(b * h, length, 1) * pos_bias
            w = w + rel.view(w.size())
        attended = torch.bmm(F.softmax(w, dim=-1), v).transpose(0, 1).contiguous().view(length, b, d)
        return self.out_proj(attended), pos_bias


class BeatsLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        d = c["encoder_embed_dim"]
        self.pre = c["layer_norm_first"]
        self.alpha = math.pow(2 * c["encoder_layers"], 1 / 4) if c["deep_norm"] else 1
        self.self_attn = BeatsAttention(c)
        self.self_attn_layer_norm = nn.LayerNorm(d)
        self.fc1, self.fc2 = nn.Linear(d, c["encoder_ffn_embed_dim"]), nn.Linear(c["encoder_ffn_embed_dim"], d)
        self.final_layer_norm = nn.LayerNorm(d)

    def forward(self, x, pos_bias):
        residual = x
        if self.pre:
            x, pos_bias = self.self_attn(self.self_attn_layer_norm(x), pos_bias)
            x = residual + x
            return x + self.fc2(F.gelu(self.fc1(self.final_layer_norm(x)))), pos_bias
        x, pos_bias = self.self_attn(x, pos_bias)
        x = self.self_attn_layer_norm(residual * self.alpha + x)
        x = self.final_layer_norm(x * self.alpha + self.fc2(F.gelu(self.fc1(x))))
        return x, pos_bias


class BeatsEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, k = c["encoder_embed_dim"], c["conv_pos"]
        conv = nn.Conv1d(d, d, kernel_size=k, padding=k // 2, groups=c["conv_pos_groups"])
        self.pos_conv = nn.Sequential(nn.utils.weight_norm(conv, name="weight", dim=2))
        self.trim = 1 if k % 2 == 0 else 0  # fairseq's SamePad
        self.layers = nn.ModuleList([BeatsLayer(c) for _ in range(c["encoder_layers"])])
        if c["relative_position_embedding"]:  # one embedding, shared, as backbone.py
            for layer in self.layers[1:]:
                del layer.self_attn.relative_attention_bias
                layer.self_attn.relative_attention_bias = self.layers[0].self_attn.relative_attention_bias
        self.pre = c["layer_norm_first"]
        self.layer_norm = nn.LayerNorm(d)

    def forward(self, x):  # (B, T, D)
        conv = self.pos_conv(x.transpose(1, 2))
        if self.trim:
            conv = conv[:, :, :-self.trim]
        x = x + F.gelu(conv).transpose(1, 2)
        if not self.pre:
            x = self.layer_norm(x)
        x = x.transpose(0, 1)
        hidden, pos_bias = [x], None
        for layer in self.layers:
            x, pos_bias = layer(x, pos_bias)
            hidden.append(x)
        if self.pre:
            hidden[-1] = self.layer_norm(x)
        return [h.transpose(0, 1) for h in hidden]


class Beats(nn.Module):
    def __init__(self, c):
        super().__init__()
        p, e, d = c["input_patch_size"], c["embed_dim"], c["encoder_embed_dim"]
        self.post_extract_proj = nn.Linear(e, d) if e != d else None
        self.patch_embedding = nn.Conv2d(1, e, kernel_size=p, stride=p, bias=c["conv_bias"])
        self.encoder = BeatsEncoder(c)
        self.layer_norm = nn.LayerNorm(e)

    def forward(self, waveforms):  # (B, L): BEATs.py's preprocess + extract_features, no padding
        fbank = torch.stack([kaldi.fbank(w.unsqueeze(0) * 2 ** 15, num_mel_bins=128, sample_frequency=16000,
                                         frame_length=25, frame_shift=10) for w in waveforms])
        fbank = (fbank - 15.41663) / (2 * 6.55582)
        x = self.patch_embedding(fbank.unsqueeze(1))
        x = self.layer_norm(x.reshape(x.shape[0], x.shape[1], -1).transpose(1, 2))
        if self.post_extract_proj is not None:
            x = self.post_extract_proj(x)
        return self.encoder(x)


def beats_case(name, seed, pre_norm):
    torch.manual_seed(seed)
    c = {"input_patch_size": 16, "embed_dim": 32 if pre_norm else 16, "conv_bias": pre_norm, "encoder_layers": 2,
         "encoder_embed_dim": 32, "encoder_ffn_embed_dim": 48, "encoder_attention_heads": 4, "activation_fn": "gelu",
         "layer_norm_first": pre_norm, "deep_norm": not pre_norm, "dropout": 0.0, "attention_dropout": 0.0,
         "activation_dropout": 0.0, "dropout_input": 0.0, "conv_pos": 8, "conv_pos_groups": 4,
         "relative_position_embedding": not pre_norm, "num_buckets": 16, "max_distance": 20, "gru_rel_pos": not pre_norm,
         "finetuned_model": False}
    model = Beats(c)
    with torch.no_grad():  # norms start as identity and grep_a as ones: randomise them so they are tested
        for n, p in model.named_parameters():
            if "layer_norm" in n or n.endswith("grep_a") or n.endswith("weight_g"):
                p.add_(torch.randn_like(p) * 0.1)
    # A speech-like row and a shorter one (2 and 3 time patches of 8 frequency patches).
    long_row = torch.randn(8000) * 0.1 * torch.sin(torch.linspace(0, 20, 8000))
    short_row = torch.randn(6000) * 0.2
    hidden = model(long_row.unsqueeze(0))
    short_hidden = model(short_row.unsqueeze(0))
    g_last = torch.randn_like(hidden[-1])
    (hidden[-1] * g_last).sum().backward()
    batch = torch.zeros(2, 8000)
    batch[0], batch[1, :6000] = long_row, short_row
    reference = {"in.waveform": long_row.unsqueeze(0), "in.batch": batch, "in.lengths": torch.tensor([8000, 6000]),
                 "out.last_hidden_state": hidden[-1], "gout.last_hidden_state": g_last}
    for i, (h, s) in enumerate(zip(hidden, short_hidden)):
        reference[f"out.hidden.{i}"] = h
        reference[f"out.short.hidden.{i}"] = s
    for n, p in model.named_parameters():
        reference[f"grad.{n}"] = p.grad
    folder = os.path.join(OUT, name)
    shutil.rmtree(folder, ignore_errors=True)
    convert_beats({"cfg": c, "model": model.state_dict()}, folder)
    write_safetensors(os.path.join(folder, "reference.safetensors"), {k: v.detach() for k, v in reference.items()}, {})
    print("wrote", folder)


# ---- LLaMA / Qwen2 reference (modeling_llama.py / modeling_qwen2.py, v4.46) ----------------

class RMSNorm(nn.Module):
    def __init__(self, size, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x):
        x32 = x.float()
        return self.weight * (x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + self.eps)).to(x.dtype)


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


class Attention(nn.Module):
    def __init__(self, c, qkv_bias):
        super().__init__()
        self.h, self.kv, self.d = c["num_attention_heads"], c["num_key_value_heads"], c["hidden_size"] // c["num_attention_heads"]
        self.q_proj = nn.Linear(c["hidden_size"], self.h * self.d, bias=qkv_bias)
        self.k_proj = nn.Linear(c["hidden_size"], self.kv * self.d, bias=qkv_bias)
        self.v_proj = nn.Linear(c["hidden_size"], self.kv * self.d, bias=qkv_bias)
        self.o_proj = nn.Linear(self.h * self.d, c["hidden_size"], bias=False)

    def forward(self, x, cos, sin, mask):
        b, t, _ = x.shape
        q = self.q_proj(x).view(b, t, self.h, self.d).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.kv, self.d).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.kv, self.d).transpose(1, 2)
        q, k = q * cos.unsqueeze(1) + rotate_half(q) * sin.unsqueeze(1), k * cos.unsqueeze(1) + rotate_half(k) * sin.unsqueeze(1)
        k = k.repeat_interleave(self.h // self.kv, dim=1)
        v = v.repeat_interleave(self.h // self.kv, dim=1)
        scores = q @ k.transpose(2, 3) / math.sqrt(self.d) + mask
        weights = F.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        return self.o_proj((weights @ v).transpose(1, 2).reshape(b, t, self.h * self.d))


class Mlp(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.gate_proj = nn.Linear(c["hidden_size"], c["intermediate_size"], bias=False)
        self.up_proj = nn.Linear(c["hidden_size"], c["intermediate_size"], bias=False)
        self.down_proj = nn.Linear(c["intermediate_size"], c["hidden_size"], bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self, c, qkv_bias):
        super().__init__()
        self.self_attn = Attention(c, qkv_bias)
        self.mlp = Mlp(c)
        self.input_layernorm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])
        self.post_attention_layernorm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])

    def forward(self, x, cos, sin, mask):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, mask)
        return x + self.mlp(self.post_attention_layernorm(x))


class Decoder(nn.Module):
    def __init__(self, c, qkv_bias):
        super().__init__()
        self.embed_tokens = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.layers = nn.ModuleList([DecoderLayer(c, qkv_bias) for _ in range(c["num_hidden_layers"])])
        self.norm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])


class CausalLM(nn.Module):
    def __init__(self, c, qkv_bias):
        super().__init__()
        self.c = c
        self.model = Decoder(c, qkv_bias)
        self.lm_head = None if c["tie_word_embeddings"] else nn.Linear(c["hidden_size"], c["vocab_size"], bias=False)

    def forward(self, ids, attention_mask):
        c = self.c
        b, t = ids.shape
        d = c["hidden_size"] // c["num_attention_heads"]
        inv_freq = 1.0 / (c["rope_theta"] ** (torch.arange(0, d, 2, dtype=torch.int64).float() / d))
        pos = torch.arange(t).float()[None, :].expand(b, t)
        freqs = pos[:, :, None] * inv_freq[None, None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos(), emb.sin()
        # HF's eager mask: causal plus key padding, as an additive float mask.
        allowed = torch.ones(t, t, dtype=torch.bool).tril()[None, None] & attention_mask.bool()[:, None, None, :]
        mask = torch.zeros(b, 1, t, t).masked_fill(~allowed, torch.finfo(torch.float32).min)
        x = self.model.embed_tokens(ids)
        hidden = [x]
        for layer in self.model.layers:
            x = layer(x, cos, sin, mask)
            hidden.append(x)
        x = self.model.norm(x)
        hidden[-1] = x
        logits = self.lm_head(x) if self.lm_head is not None else x @ self.model.embed_tokens.weight.T
        return hidden, logits


def llm_case(name, model_type, seed):
    torch.manual_seed(seed)
    qwen = model_type == "qwen2"
    c = {"model_type": model_type, "architectures": ["Qwen2ForCausalLM" if qwen else "LlamaForCausalLM"],
         "vocab_size": 320, "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2, "num_attention_heads": 4,
         "num_key_value_heads": 2, "hidden_act": "silu", "max_position_embeddings": 128, "rms_norm_eps": 1e-6,
         "rope_theta": 1000000.0 if qwen else 10000.0, "tie_word_embeddings": qwen, "attention_bias": False}
    model = CausalLM(c, qkv_bias=qwen)
    with torch.no_grad():
        for n, p in model.named_parameters():
            if n.endswith("norm.weight"):
                p.add_(torch.randn_like(p) * 0.1)
    ids = torch.randint(0, 320, (2, 7))
    mask = torch.ones(2, 7, dtype=torch.int64)
    mask[1, 5:] = 0  # right padding
    hidden, logits = model(ids, mask)
    g_hidden, g_logits = torch.randn_like(hidden[-1]), torch.randn_like(logits)
    ((hidden[-1] * g_hidden).sum() + (logits * g_logits).sum()).backward()
    reference = {"in.input_ids": ids, "in.attention_mask": mask, "out.logits": logits, "gout.logits": g_logits,
                 "out.last_hidden_state": hidden[-1], "gout.last_hidden_state": g_hidden}
    for i, h in enumerate(hidden):
        reference[f"out.hidden.{i}"] = h
    for n, p in model.named_parameters():
        reference[f"grad.{n}"] = p.grad
    save_folder(name, c, dict(model.state_dict()), reference)


# ---- BERT / RoBERTa reference (modeling_bert.py / modeling_roberta.py, v4.46) ---------------

class BertLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        h, i, eps = c["hidden_size"], c["intermediate_size"], c["layer_norm_eps"]
        self.attention = nn.Module()
        self.attention.self = nn.Module()
        self.attention.self.query, self.attention.self.key, self.attention.self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        self.attention.output = nn.Module()
        self.attention.output.dense, self.attention.output.LayerNorm = nn.Linear(h, h), nn.LayerNorm(h, eps)
        self.intermediate = nn.Module()
        self.intermediate.dense = nn.Linear(h, i)
        self.output = nn.Module()
        self.output.dense, self.output.LayerNorm = nn.Linear(i, h), nn.LayerNorm(h, eps)
        self.heads = c["num_attention_heads"]

    def forward(self, x, mask):
        b, t, h = x.shape
        s = self.attention.self

        def split(y):
            return y.view(b, t, self.heads, h // self.heads).transpose(1, 2)
        q, k, v = split(s.query(x)), split(s.key(x)), split(s.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(h // self.heads) + mask
        a = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, h)
        x = self.attention.output.LayerNorm(self.attention.output.dense(a) + x)
        return self.output.LayerNorm(self.output.dense(F.gelu(self.intermediate.dense(x))) + x)


class Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        h = c["hidden_size"]
        self.embeddings = nn.Module()
        self.embeddings.word_embeddings = nn.Embedding(c["vocab_size"], h, padding_idx=c["pad_token_id"])
        self.embeddings.position_embeddings = nn.Embedding(c["max_position_embeddings"], h)
        self.embeddings.token_type_embeddings = nn.Embedding(c["type_vocab_size"], h)
        self.embeddings.LayerNorm = nn.LayerNorm(h, c["layer_norm_eps"])
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList([BertLayer(c) for _ in range(c["num_hidden_layers"])])

    def forward(self, ids, attention_mask):
        if self.c["model_type"] == "roberta":
            real = ids.ne(self.c["pad_token_id"]).long()
            pos = torch.cumsum(real, dim=1) * real + self.c["pad_token_id"]
        else:
            pos = torch.arange(ids.shape[1])[None, :]
        e = self.embeddings
        x = e.LayerNorm(e.word_embeddings(ids) + e.position_embeddings(pos) + e.token_type_embeddings(torch.zeros_like(ids)))
        mask = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        hidden = [x]
        for layer in self.encoder.layer:
            x = layer(x, mask)
            hidden.append(x)
        return hidden


def text_case(name, model_type, seed):
    torch.manual_seed(seed)
    roberta = model_type == "roberta"
    c = {"model_type": model_type, "architectures": ["RobertaModel" if roberta else "BertModel"], "vocab_size": 50,
         "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 48, "hidden_act": "gelu",
         "max_position_embeddings": 40, "type_vocab_size": 1 if roberta else 2, "layer_norm_eps": 1e-12 if not roberta else 1e-5,
         "pad_token_id": 1 if roberta else 0}
    model = Bert(c)
    with torch.no_grad():
        for n, p in model.named_parameters():
            if "LayerNorm" in n:
                p.add_(torch.randn_like(p) * 0.1)
    pad = c["pad_token_id"]
    ids = torch.randint(3, 50, (2, 6))
    mask = torch.ones(2, 6, dtype=torch.int64)
    ids[1, 4:], mask[1, 4:] = pad, 0
    hidden = model(ids, mask)
    g = torch.randn_like(hidden[-1])
    (hidden[-1] * g * mask[:, :, None]).sum().backward()  # padded positions carry no loss
    reference = {"in.input_ids": ids, "in.attention_mask": mask, "out.last_hidden_state": hidden[-1], "gout.last_hidden_state": g}
    for i, h in enumerate(hidden):
        reference[f"out.hidden.{i}"] = h
    for n, p in model.named_parameters():
        if p.grad is not None:
            reference[f"grad.{n}"] = p.grad
    state = dict(model.state_dict())
    if roberta:  # a task model's checkpoint: prefixed names, a pooler the encoder does not use
        state = {"roberta." + k: v for k, v in state.items()}
        state["roberta.pooler.dense.weight"] = torch.randn(32, 32)
    save_folder(name, c, state, reference)


if __name__ == "__main__":
    torch.set_num_threads(1)
    speech_case("hubert-group-norm", "hubert", "group_norm", False, False, seed=1)
    speech_case("wav2vec2-layer-norm", "wav2vec2", "layer_norm", True, True, seed=2)
    wavlm_case("wavlm", seed=7)
    beats_case("beats", seed=8, pre_norm=False)
    beats_case("beats-pre-norm", seed=9, pre_norm=True)
    llm_case("llama", "llama", seed=3)
    llm_case("qwen2", "qwen2", seed=4)
    text_case("bert", "bert", seed=5)
    text_case("roberta", "roberta", seed=6)
    sentencepiece_tokenizer("llama")
    byte_level_bpe_tokenizer("roberta")
