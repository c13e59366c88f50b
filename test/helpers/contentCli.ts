import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from './content';

/** Runs scripts/<name>.ts on the test's store and content folder, with none of the machine's own settings. */
export function runContentScript(
  name: string,
  args: string[],
  settings: { sqlitePath: string; dataDir: string; contentDir: string },
): { status: number | null; stdout: string; stderr: string } {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] =>
        e[1] !== undefined && !/^(STATE_STORE|SQLITE_PATH|DATA_DIR|CONTENT_DIR|AZURE_)/.test(e[0]),
    ),
  );
  return spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'tsx'),
    [path.join(ROOT, 'scripts', `${name}.ts`), ...args],
    {
      cwd: ROOT,
      env: {
        ...env,
        STATE_STORE: 'sqlite',
        SQLITE_PATH: settings.sqlitePath,
        DATA_DIR: settings.dataDir,
        CONTENT_DIR: settings.contentDir,
      },
      encoding: 'utf8',
    },
  );
}
