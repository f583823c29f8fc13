# The sandbox server. Build from the repository root: docker build -t travel-sandbox .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Sandbox.sln ./
COPY sim/ sim/
# ReadyToRun: precompiled code, so the JIT only re-optimises hot methods (a shorter warm-up under load). ReadyToRun
# code is per architecture: the image's (TARGETARCH, set by BuildKit; amd64 without it).
ARG TARGETARCH
RUN dotnet publish sim/Sandbox.Sim.csproj -c Release -a "${TARGETARCH:-amd64}" --self-contained false -p:PublishReadyToRun=true -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /srv
COPY --from=build /app /app
COPY scenarios/ /srv/scenarios/
# The base image's unprivileged user (app, UID 1654) runs the server and owns only the store's folder.
RUN mkdir -p /srv/data && chown app:app /srv/data
USER app
# Inside a container the listeners must bind beyond loopback, which requires an admin token (set it at run time).
ENV Sandbox__Listen=http://0.0.0.0:8080 \
    Sandbox__Listeners__bpt=http://0.0.0.0:6350 \
    Sandbox__DataPath=/srv/data/sandbox.db \
    Sandbox__ScenariosPath=/srv/scenarios
VOLUME /srv/data
EXPOSE 8080 6350
HEALTHCHECK --interval=10s --timeout=3s CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q '200 OK' <&3"]
ENTRYPOINT ["dotnet", "/app/Sandbox.Sim.dll"]
