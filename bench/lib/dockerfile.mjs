/**
 * The repository's Dockerfile, read: its `FROM … AS name` stages with the labels, environment and
 * entrypoint each declares, and the environment a target runs with (its own ENV lines over those of
 * the stages it builds on). No side effects, so tests read the Dockerfile through it too.
 */
import { readFileSync } from 'node:fs';

/** Each named stage of `text`: the image it builds on, its labels, ENV lines and entrypoint. */
export function dockerStages(text) {
  const stages = new Map();
  let current;
  for (const line of text.split('\n')) {
    const from = /^FROM (\S+) AS (\S+)/i.exec(line);
    if (from) stages.set(from[2], (current = { base: from[1], labels: {}, env: {} }));
    if (!current) continue;
    const label = /^LABEL (\S+)=(\S+)/.exec(line);
    if (label) current.labels[label[1]] = label[2];
    const env = /^ENV (\w+)=(?:"(.*)"|(\S*))\s*$/.exec(line);
    if (env) current.env[env[1]] = env[2] ?? env[3];
    const entry = /^ENTRYPOINT (\[.*\])/.exec(line);
    if (entry) current.entrypoint = JSON.parse(entry[1]);
  }
  return stages;
}

/** The environment the `target` stage of the Dockerfile at `path` runs with. */
export function imageEnv(target, path) {
  const stages = dockerStages(readFileSync(path, 'utf8'));
  if (!stages.has(target)) throw new Error(`no stage ${target} in ${path}`);
  const chain = [];
  for (let name = target; stages.has(name) && chain.length < stages.size; name = stages.get(name).base) chain.unshift(stages.get(name).env);
  return Object.assign({}, ...chain);
}
