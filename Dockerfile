# Build: docker build -t zhaoshang .
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/zhaoshang ./app

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /data zhaoshang && mkdir -p /data && chown zhaoshang /data
COPY --from=build /out/zhaoshang /usr/local/bin/zhaoshang
USER zhaoshang
ENV ZS_ADDR=0.0.0.0:8080 ZS_DATA=/data
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ok <&3"]
ENTRYPOINT ["zhaoshang"]
CMD ["serve"]
