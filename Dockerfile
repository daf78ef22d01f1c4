# inlsearch in a container: a static binary on an empty base, run as a
# non-root user, the data folder a volume. The default command is the demo
# (it crawls the bundled demo site on the container's loopback, then serves
# search on :8080); for your own sites:
#   docker run -v inl:/data -p 8080:8080 IMAGE serve --data /data --addr 0.0.0.0:8080
#   docker run -v inl:/data IMAGE crawl --data /data --seed https://www.example.gov/
#
# Build: docker build --build-arg VERSION=0.1.0 --build-arg COMMIT=$(git rev-parse HEAD) -t inlsearch .

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=0.1.0
ARG COMMIT=unknown
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" -o /out/inlsearch ./cmd/inlsearch
# the data folder, owned by the runtime user (65532, "nonroot")
RUN mkdir -p /out/data && chown 65532:65532 /out/data

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/inlsearch /inlsearch
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["/inlsearch", "healthcheck", "--url", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/inlsearch"]
CMD ["--data", "/data", "--addr", "0.0.0.0:8080"]
