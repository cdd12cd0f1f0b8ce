#!/usr/bin/env bash
# Installs what EmotionLab needs on Debian 12 and builds it. Safe to run again: it installs
# only missing packages and the build only redoes what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

# libtorch-dev + OpenBLAS: the engine (without libopenblas0-pthread GEMM is ~25x slower).
# cmake, g++: the native layer. python3-torch: PyTorch parity fixtures and bench engine.
# ffmpeg (with ffprobe): MELD audio extraction. python3-torchaudio: audio front-end fixtures and
# bench features. espeak-ng: the voices of EmoSynth. python3-sklearn, python3-scipy,
# python3-statsmodels: metric and statistics fixtures. python3-sentencepiece: the tokenizer.model oracle. postgresql: the embedded database and the data tests' servers.
# chromium: the web app's browser tests (Playwright drives Debian's build, no browser download).
# fonts-dejavu-core: the figures' font (ScottPlot draws no text without a font on disk).
packages=(fonts-dejavu-core libtorch-dev libopenblas0-pthread cmake g++ python3-torch python3-torchaudio python3-sentencepiece python3-sklearn python3-scipy python3-statsmodels postgresql espeak-ng ffmpeg chromium)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 || true)
case "$blas" in
  *openblas*) ;;
  *) echo "setup: warning: libblas.so.3 resolves to $blas, not OpenBLAS; matmul will be ~25x slower (update-alternatives --config libblas.so.3-x86_64-linux-gnu)" >&2 ;;
esac

command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK is required (dotnet not found on PATH)" >&2; exit 1; }
dotnet build EmotionLab.sln -c Release -nologo -v quiet
