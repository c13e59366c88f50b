/**
 * Staff accounts for the console at /staff/ (local accounts, the embedded default).
 * Usage: npm run staff -- add-user --email <email> --role admin|editor|agent
 *        npm run staff -- list-users | set-role --email <e> --role <r> | set-password --email <e>
 *                        | unlock --email <e> | disable --email <e> | enable --email <e> | remove-user --email <e>
 * The password comes from STAFF_PASSWORD, or from a prompt (not echoed) on a terminal.
 * Exit codes: 0 ok, 1 bad arguments or refused change, 2 the store cannot be opened.
 */
import { parseArgs } from 'node:util';
import * as readline from 'node:readline';
import { Writable } from 'node:stream';
import { createStorage, StateStore } from '../bot/storage';
import { loadConfig } from '../core/config';
import { AuditLog } from '../core/staff/auditLog';
import { AccountError, AccountView, StaffAccounts } from '../core/staff/staffAccounts';
import { STAFF_ROLES, StaffRole, StaffRoleSchema } from '../core/staff/staffRoles';

const USAGE = `Staff accounts for the console at /staff/.

Usage:
  npm run staff -- add-user --email <email> --role admin|editor|agent
  npm run staff -- list-users
  npm run staff -- set-role --email <email> --role admin|editor|agent
  npm run staff -- set-password --email <email>
  npm run staff -- unlock --email <email>        lift a lock-out after failed sign-ins
  npm run staff -- disable --email <email>       | enable --email <email>
  npm run staff -- remove-user --email <email>

Roles: admin (everything, including accounts and the audit log), editor (content and
unanswered questions), agent (bookings). The password comes from the STAFF_PASSWORD
environment variable, or is asked for (not shown) when run on a terminal; at least 12
characters. The store is the one the bot uses (STATE_STORE, SQLITE_PATH or Azure).
With Microsoft Entra ID sign-in (STAFF_AUTH=entra) local accounts are not used.`;

const COMMANDS = [
  'add-user',
  'list-users',
  'set-role',
  'set-password',
  'unlock',
  'disable',
  'enable',
  'remove-user',
] as const;
type Command = (typeof COMMANDS)[number];

const ACTOR = 'npm run staff';

function parse(argv: string[]): { command: Command; email?: string; role?: StaffRole } | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { email: { type: 'string' }, role: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (values.help || positionals.length === 0) return 'help';
  const command = COMMANDS.find((c) => c === positionals[0]);
  if (!command) throw new Error(`unknown command "${positionals[0]}"`);
  const role = values.role === undefined ? undefined : StaffRoleSchema.safeParse(values.role);
  if (role && !role.success) throw new Error(`--role must be one of ${STAFF_ROLES.join(', ')}`);
  if (command !== 'list-users' && !values.email) throw new Error(`${command} needs --email`);
  if ((command === 'add-user' || command === 'set-role') && !role) throw new Error(`${command} needs --role`);
  return { command, email: values.email, role: role?.data };
}

/** STAFF_PASSWORD, else a prompt on a terminal with nothing echoed. */
async function readPassword(): Promise<string> {
  const fromEnv = process.env.STAFF_PASSWORD;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) throw new Error('set STAFF_PASSWORD, or run this on a terminal to be asked');
  const ask = async (question: string): Promise<string> => {
    process.stdout.write(question);
    let muted = true;
    const output = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        if (!muted) process.stdout.write(chunk);
        done();
      },
    });
    const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
    const answer = await new Promise<string>((resolve) => rl.question('', resolve));
    muted = false;
    rl.close();
    process.stdout.write('\n');
    return answer;
  };
  const first = await ask('Password (not shown): ');
  const again = await ask('The same password again: ');
  if (first !== again) throw new Error('the two passwords differ');
  return first;
}

function describe(a: AccountView): string {
  const state = a.disabled
    ? 'disabled'
    : a.lockedUntil && a.lockedUntil > new Date().toISOString()
      ? 'locked'
      : 'active';
  return `${a.email.padEnd(36)} ${a.role.padEnd(7)} ${state.padEnd(9)} since ${a.createdAt.slice(0, 10)}`;
}

async function run(
  accounts: StaffAccounts,
  audit: AuditLog,
  args: { command: Command; email?: string; role?: StaffRole },
): Promise<string> {
  const email = args.email ?? '';
  switch (args.command) {
    case 'list-users': {
      const list = await accounts.list();
      return list.length === 0 ? 'No staff accounts yet.' : list.map(describe).join('\n');
    }
    case 'add-user': {
      const account = await accounts.add(email, args.role ?? 'agent', await readPassword());
      await audit.record({ actor: ACTOR, action: 'account-add', target: account.email, detail: account.role });
      return `Added ${account.email} (${account.role}). They can sign in at /staff/.`;
    }
    case 'set-role': {
      const account = await accounts.setRole(email, args.role ?? 'agent');
      await audit.record({
        actor: ACTOR,
        action: 'account-change',
        target: account.email,
        detail: `role ${account.role}`,
      });
      return `${account.email} is now ${account.role}.`;
    }
    case 'set-password': {
      const account = await accounts.setPassword(email, await readPassword());
      await audit.record({ actor: ACTOR, action: 'account-change', target: account.email, detail: 'new password' });
      return `New password set for ${account.email}.`;
    }
    case 'unlock': {
      const account = await accounts.unlock(email);
      await audit.record({ actor: ACTOR, action: 'account-change', target: account.email, detail: 'unlocked' });
      return `${account.email} can sign in again.`;
    }
    case 'disable':
    case 'enable': {
      const account = await accounts.setDisabled(email, args.command === 'disable');
      await audit.record({ actor: ACTOR, action: 'account-change', target: account.email, detail: args.command + 'd' });
      return `${account.email} is ${args.command}d.`;
    }
    case 'remove-user': {
      await accounts.remove(email);
      await audit.record({ actor: ACTOR, action: 'account-remove', target: email.trim().toLowerCase() });
      return `Removed ${email.trim().toLowerCase()}.`;
    }
  }
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(process.argv.slice(2));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 1;
  }
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }
  let store: StateStore;
  try {
    // A staff tool needs no bot credentials: validate the rest of the configuration as in development.
    const config = loadConfig({ ...process.env, NODE_ENV: 'development', MicrosoftAppId: '' });
    if (config.state.store === 'memory') throw new Error('STATE_STORE=memory keeps nothing outside the bot process');
    store = createStorage(config.state);
  } catch (err) {
    console.error(`Cannot open the bot's store: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  try {
    console.log(await run(new StaffAccounts(store.storage), new AuditLog(store.storage), args));
    return 0;
  } catch (err) {
    if (err instanceof AccountError || (err instanceof Error && /STAFF_PASSWORD|passwords differ/.test(err.message))) {
      console.error(`Not done: ${err.message}`);
      return 1;
    }
    console.error(`Cannot change the accounts: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  } finally {
    store.close();
  }
}

void main().then((code) => process.exit(code));
