# FabOMatic: backend (REST API, WebSockets, board transport) in one image.
# Build: docker build -t fabomatic .   Run: see docker-compose.yml
FROM node:24-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles when no prebuilt binary matches the platform (e.g. arm64 boxes).
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nx run-many -t build -p api admin && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    DATABASE_URL=sqlite:/data/fabomatic.db \
    NX_DAEMON=false
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/package.json /app/tsconfig.base.json ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
# 23336: web portal and API; 1883: embedded MQTT broker for the boards (unused with MQTT_URL)
EXPOSE 23336 1883
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||23336)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "bin/fabomatic.js", "serve"]
