# Faultline's image: the simulators, the reference middlewares and the
# provisioning command, run by Node's type stripping (no build step).
#   docker build -t faultline:local .
#   docker run --rm -p 127.0.0.1:8081:8081 faultline:local npx faultline serve capture --host 0.0.0.0 --port 8081
# The base tag is pinned in harness/odoo/targets/images.ts (a test checks it).
FROM node:24.21.0-bookworm-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false
WORKDIR /app
RUN chown node:node /app
USER node

# Dependencies first, so code changes do not reinstall them.
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

# Run artefacts (reports/out) and --data-dir land under /app: the node user owns it.
COPY --chown=node:node . .

# Every service of docker-compose.yml picks its system with its command.
CMD ["npx", "faultline", "--help"]
