import { MemoryStorage } from 'botbuilder';
import { StaffAccounts } from '../../core/staff/staffAccounts';
import { StaffRole } from '../../core/staff/staffRoles';

export const STAFF_PASSWORD = 'a long enough password';

/** Adds an account to the store the app was started with (what `npm run staff -- add-user` does). */
export async function addStaff(storage: MemoryStorage, email: string, role: StaffRole): Promise<void> {
  await new StaffAccounts(storage).add(email, role, STAFF_PASSWORD);
}

/** A browser-like client of the console over HTTP: keeps cookies, sends Origin on posts, reads CSRF tokens. */
export class StaffClient {
  private readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly base: string) {}

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const res = await fetch(this.base + path, {
      redirect: 'manual',
      headers: { accept: 'text/html', cookie: this.cookieHeader(), ...headers },
    });
    this.keep(res);
    return res;
  }

  /** GETs a page and remembers the CSRF token its forms carry. */
  async page(path: string): Promise<{ res: Response; body: string }> {
    const res = await this.get(path);
    const body = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(body);
    if (token) this.csrf = token[1];
    return { res, body };
  }

  async post(
    path: string,
    fields: Record<string, string> | URLSearchParams,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const res = await fetch(this.base + path, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: this.base,
        cookie: this.cookieHeader(),
        ...headers,
      },
      body: new URLSearchParams(fields).toString(),
    });
    this.keep(res);
    return res;
  }

  async signIn(email: string, password = STAFF_PASSWORD): Promise<Response> {
    const form = await (await this.get('/staff/sign-in')).text();
    const token = /name="_form" value="([^"]+)"/.exec(form)?.[1] ?? '';
    return this.post('/staff/sign-in', { _form: token, email, password, next: '/staff/' });
  }
}
