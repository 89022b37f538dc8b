# The service in a container: a slim Python base, a non-root user, the vocabulary compiled
# into its store at build time (no build at start), a health check, read-only by default.
#
#   docker build -t airt-vocab .
#   docker run --rm -p 8000:8000 airt-vocab
#   docker build --build-arg VOCAB_BASE_URI=https://vocab.example.org -t airt-vocab .
#
# A new release is published into a running container by replacing the file at VOCAB_DB
# (mount /var/lib/vocab as a volume); `vocab serve` picks it up without a restart.

# ---- build: the wheel of this checkout and of every dependency -------------------------
FROM python:3.11.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE LICENSE-DATA ./
COPY vocab ./vocab
COPY api ./api
COPY loaders ./loaders
COPY cli ./cli
COPY ontology ./ontology
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

# ---- run ---------------------------------------------------------------------------
FROM python:3.11.11-slim-bookworm
ARG VOCAB_BASE_URI=http://127.0.0.1:8000
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VOCAB_BASE_URI=${VOCAB_BASE_URI} \
    VOCAB_DATA_DIR=/var/lib/vocab \
    VOCAB_DB=/var/lib/vocab/vocab.db \
    VOCAB_EDITORIAL_DB=off \
    VOCAB_HOST=0.0.0.0 \
    VOCAB_PORT=8000
RUN groupadd --system --gid 10001 vocab \
 && useradd --system --uid 10001 --gid vocab --home-dir /var/lib/vocab --create-home --shell /usr/sbin/nologin vocab
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels /wheels/airt_vocab-*.whl \
 && rm -rf /wheels
USER 10001:10001
WORKDIR /var/lib/vocab
# the prebuilt snapshot: the curated vocabulary compiled once, here, for VOCAB_BASE_URI
RUN vocab build --db /var/lib/vocab/vocab.db --base-uri "${VOCAB_BASE_URI}"
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status == 200 else 1)"]
CMD ["vocab", "serve", "--host", "0.0.0.0", "--port", "8000"]
