export interface DockerStage {
  base: string;
  labels: Record<string, string>;
  env: Record<string, string>;
  entrypoint?: string[];
}
export function dockerStages(text: string): Map<string, DockerStage>;
export function imageEnv(target: string, path: string): Record<string, string>;
