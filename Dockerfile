# syntax=docker/dockerfile:1
# Multi-stage build: the web UI, then one static Go binary, run as a non-root user.

FROM node:20-bookworm-slim AS web
WORKDIR /src
COPY frontend/ frontend/
COPY scripts/ scripts/
RUN mkdir -p internal/web/dist && if [ -f frontend/package.json ]; then scripts/build-frontend.sh; fi

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=web /src/internal/web/dist/ internal/web/dist/
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/tinnhiem ./cmd/tinnhiem \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tinnhiem /tinnhiem
COPY --from=build --chown=65532:65532 /out/data /data
ENV TINNHIEM_ADDR=0.0.0.0:8080 \
    TINNHIEM_DATA_DIR=/data \
    TINNHIEM_LOG_FORMAT=json
USER 65532:65532
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK NONE
ENTRYPOINT ["/tinnhiem"]
CMD ["serve", "--migrate"]
