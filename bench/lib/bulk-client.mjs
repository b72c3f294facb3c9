/** A minimal bulk-operation client (run, poll, url) used to prepare data and the download floor. */
export const API_VERSION = '2026-07';

async function graphql(baseUrl, token, query, variables) {
  const res = await fetch(`${baseUrl}/admin/api/${API_VERSION}/graphql.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': token },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (!res.ok || body.errors) throw new Error(`GraphQL ${res.status}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return body.data;
}

/** Runs a bulk query to completion; resolves the finished operation (url, objectCount, rootObjectCount, fileSize). */
export async function runBulk(baseUrl, token, query, groupObjects, pollMs = 200) {
  const run = await graphql(
    baseUrl,
    token,
    'mutation run($query: String!, $groupObjects: Boolean!) { bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) { bulkOperation { id status } userErrors { field message } } }',
    { query, groupObjects },
  );
  const payload = run.bulkOperationRunQuery;
  if (payload.userErrors.length) throw new Error(`bulk query refused: ${JSON.stringify(payload.userErrors)}`);
  const id = payload.bulkOperation.id;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const { bulkOperation: op } = await graphql(
      baseUrl,
      token,
      'query poll($id: ID!) { bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount fileSize url } }',
      { id },
    );
    if (op.status === 'COMPLETED') return { ...op, objectCount: Number(op.objectCount), rootObjectCount: Number(op.rootObjectCount), fileSize: Number(op.fileSize ?? 0) };
    if (op.status !== 'CREATED' && op.status !== 'RUNNING') throw new Error(`bulk operation ended ${op.status} ${op.errorCode ?? ''}`);
  }
}
