# syntax=docker/dockerfile:1
# The bot's production image: Node 22 LTS, the compiled JavaScript, production
# dependencies only (no TypeScript, no tsx, no test tools), run as a non-root user.

# Build: compile TypeScript, with every dependency (dev ones included).
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY flows ./flows
COPY scripts ./scripts
RUN npm run build

# Production dependencies: --omit=optional also leaves out TypeScript, which
# npm would otherwise install as i18next's optional peer.
FROM node:22-slim AS production-dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force

# Run: only what the server reads at run time.
FROM node:22-slim
ENV NODE_ENV=production PORT=3978
WORKDIR /app
COPY package.json ./
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The classifier, the rules and the messages (.dockerignore leaves out the training corpus).
COPY locales ./locales
COPY profiles ./profiles
# The call-handler console's static CSS and JS are served as they are, with no build step.
COPY src/console/public ./src/console/public
USER node
EXPOSE 3978
# Healthy means ready: Redis reachable and every channel started (see /readyz).
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node itself is PID 1 and handles SIGTERM (close-with-grace): no npm or shell in between.
# The flags are src/config/node-flags.ts's (a larger young generation: see there why).
CMD ["node", "--max-semi-space-size=64", "dist/src/main.js"]
