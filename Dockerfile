# syntax=docker/dockerfile:1
# MCTL: one Nuxt/Nitro server. Build stage compiles better-sqlite3 and the app; the runtime
# stage has only .output (with its traced node_modules), git and a non-root user.

FROM node:20-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ git ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nuxt build

FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends git openssh-client ca-certificates tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 10001 --create-home --shell /usr/sbin/nologin mctl \
 && mkdir -p /data && chown mctl:mctl /data
WORKDIR /app
COPY --from=build --chown=mctl:mctl /app/.output ./.output
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    NUXT_DATA_DIR=/data
USER 10001
EXPOSE 3000
VOLUME ["/data"]
# tini forwards SIGTERM so Nitro drains requests and the engine finishes its current steps.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", ".output/server/index.mjs"]
