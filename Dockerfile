# One image for the web app and the worker nodes (compose.yaml). CPU libtorch from Debian; for GPU
# nodes build the native layer against a CUDA libtorch instead (README: "CUDA libtorch").
FROM mcr.microsoft.com/dotnet/sdk:10.0-bookworm-slim AS build
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends libtorch-dev libopenblas0-pthread cmake g++ nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish Platform.Web -c Release -o /app/web && dotnet publish Platform.Worker -c Release -o /app/worker

FROM mcr.microsoft.com/dotnet/aspnet:10.0-bookworm-slim
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends libtorch-dev libopenblas0-pthread ffmpeg espeak-ng \
    && rm -rf /var/lib/apt/lists/*
# Trainers are started as `dotnet exec Platform.Worker.dll`, so the runtime's host must be on PATH (it is in this image).
COPY --from=build /app /app
ENV ArtifactRoot=/artifacts Worker__ArtifactRoot=/artifacts
VOLUME /artifacts
