# One image per connector: `docker build --target source-shopify .` / `--target destination-gcs`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the postinstall step only installs the test-time GCS emulator.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY schemas ./schemas
# The build precompiles the input validators after tsc (see the script).
COPY scripts/compile-validators.mjs ./scripts/
RUN npm run build && npm prune --omit=dev --ignore-scripts

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /airbyte/integration_code
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY schemas ./schemas
USER node

FROM runtime AS source-shopify
# glibc's malloc keeps its default mmap threshold (128 KiB) for the whole run. Left dynamic, the
# threshold rises to the largest block ever freed (V8's string tables of the parse threads reach
# 4 MB), and from then on every block up to that size comes from the threads' arenas, which keep
# the freed space: peak RSS then grew by 15-30 MB over the first GB of a read. `npm run bench` runs
# the source with this environment, as the image does.
ENV GLIBC_TUNABLES="glibc.malloc.mmap_threshold=131072"
ENV AIRBYTE_ENTRYPOINT="node /airbyte/integration_code/bin/source-shopify.js"
ENTRYPOINT ["node", "/airbyte/integration_code/bin/source-shopify.js"]
LABEL io.airbyte.name=shopify-bulk-connectors/source-shopify
LABEL io.airbyte.version=0.1.0

FROM runtime AS destination-gcs
ENV AIRBYTE_ENTRYPOINT="node /airbyte/integration_code/bin/destination-gcs.js"
ENTRYPOINT ["node", "/airbyte/integration_code/bin/destination-gcs.js"]
LABEL io.airbyte.name=shopify-bulk-connectors/destination-gcs
LABEL io.airbyte.version=0.1.0
