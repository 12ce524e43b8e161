# One image recipe for all four services. Build one with `--build-arg SERVICE=<app>` (default gateway), or run any
# service from any of the images with `command: ["node", "apps/<app>/dist/main.js"]`. docker-compose.yml does the former.

# --- build: install everything, compile every project to its dist/, then drop dev dependencies ---
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund \
 && node tools/build.mjs \
 && npm prune --omit=dev --no-audit --no-fund

# --- runtime: compiled code and production dependencies only, as the unprivileged `node` user ---
FROM node:20-bookworm-slim AS runtime
ARG SERVICE=gateway
ENV NODE_ENV=production \
    SERVICE=${SERVICE}
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/libs ./libs
COPY --from=build --chown=node:node /app/apps ./apps
# The platform's CLI, for `reset-admin-password` inside a running deployment:
#   docker compose exec gateway node tools/platform/dist/cli.js reset-admin-password [--user <name>]
COPY --from=build --chown=node:node /app/tools/platform/package.json ./tools/platform/package.json
COPY --from=build --chown=node:node /app/tools/platform/dist ./tools/platform/dist
USER node
EXPOSE 3000
CMD ["sh", "-c", "exec node --enable-source-maps apps/${SERVICE}/dist/main.js"]
