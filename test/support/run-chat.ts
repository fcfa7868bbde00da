import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root, where `npm run chat` is run from. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** One bot message as `--jsonl` writes it. */
export interface JsonlOutput {
  user: string;
  turn: number;
  text: string;
  choices: { id: string; label: string }[];
}

/**
 * Runs the real `npm run --silent chat -- --jsonl` command with the given
 * input lines and collects exactly what it writes, as a person scripting it would.
 */
export async function runChatJsonl(
  lines: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string; outputs: JsonlOutput[] }> {
  const child = spawn('npm', ['run', '--silent', 'chat', '--', '--jsonl'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.end(lines.map((l) => `${l}\n`).join(''));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const outputs = stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as JsonlOutput);
  return { code, stdout, stderr, outputs };
}

/** JSON-encodes one input line. */
export const line = (input: Record<string, unknown>): string => JSON.stringify(input);
