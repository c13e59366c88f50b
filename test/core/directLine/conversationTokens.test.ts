import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConversationTokens, tokenKey } from '../../../core/directLine/conversationTokens';

describe('embedded Direct Line tokens', () => {
  const key = Buffer.alloc(32, 7);
  let now = 1_000_000;
  const tokens = new ConversationTokens(key, 3600, () => now);

  it('open their own conversation until they expire', () => {
    const { token, expiresIn } = tokens.issue('conv-1', 'dl_user');
    expect(expiresIn).toBe(3600);
    expect(tokens.verify(token)).toEqual({ conversationId: 'conv-1', userId: 'dl_user', expiresAt: 1_003_600 });
    now += 3600;
    expect(tokens.verify(token)).toBeUndefined();
    // Within the history window a reload may still resume it; after, not.
    expect(tokens.verifyForResume(token, 600)?.conversationId).toBe('conv-1');
    now += 600;
    expect(tokens.verifyForResume(token, 600)).toBeUndefined();
    now = 1_000_000;
  });

  it('refuse anything not signed with the key', () => {
    const { token } = tokens.issue('conv-1', 'dl_user');
    const [payload, signature] = token.split('.');
    const other = new ConversationTokens(Buffer.alloc(32, 8), 3600, () => now).issue('conv-1', 'dl_user').token;
    const forgedPayload = Buffer.from(JSON.stringify(['conv-2', 'dl_user', 9_999_999_999])).toString('base64url');
    for (const bad of [
      other,
      `${forgedPayload}.${signature}`,
      `${payload}.`,
      payload,
      `${token}.x`,
      '',
      'a'.repeat(5000),
    ]) {
      expect(tokens.verify(bad)).toBeUndefined();
    }
  });

  it("keep their key in the data folder, readable by the bot's user only, unless one is configured", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dl-key-'));
    const first = tokenKey(undefined, dir);
    expect(tokenKey(undefined, dir).equals(first)).toBe(true);
    expect(fs.statSync(path.join(dir, 'directline-token.key')).mode & 0o077).toBe(0);
    expect(tokenKey('x'.repeat(40), dir).toString()).toBe('x'.repeat(40));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
