import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';
import AdmZip from 'adm-zip';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { ManifestSchema } from '../../core/teams/manifestSchema';
import { checkTeamsPackage } from '../../core/teams/packageCheck';
import { crc32, decodePng, encodePng } from '../../core/teams/png';
import { uuidV5 } from '../../core/teams/stableUuid';
import { buildTeamsPackage, DEFAULT_ACCENT, SCHEMA_FILE, TeamsPackageError } from '../../core/teams/teamsPackage';
import { loadTeamsPackageConfig, TeamsPackageConfigError } from '../../core/teams/teamsPackageConfig';
import { CONTENT_DIR, realContent, ROOT } from '../helpers/content';

const BOT_ID = '0a1b2c3d-1111-4222-8333-444455556666';
const SCHEMA_PATH = path.join(ROOT, 'teams', SCHEMA_FILE);

interface Manifest {
  $schema: string;
  manifestVersion: string;
  id: string;
  version: string;
  name: { short: string; full?: string };
  description: { short: string; full: string };
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  icons: { color: string; outline: string };
  accentColor: string;
  validDomains?: string[];
  bots: {
    botId: string;
    scopes: string[];
    supportsFiles: boolean;
    isNotificationOnly: boolean;
    commandLists?: { scopes: string[]; commands: { title: string; description: string }[] }[];
  }[];
}

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'teams-package-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/**
 * Builds a package from the repository's content (or another content
 * dir), writes it to the temp dir and opens it as Teams would.
 */
function build(env: Record<string, string> = {}, file = 'app.zip'): { zip: AdmZip; manifest: Manifest; bytes: Buffer } {
  const config = loadTeamsPackageConfig({ MicrosoftAppId: BOT_ID, ...env }, { cwd: ROOT, defaultVersion: '1.2.3' });
  const out = path.join(tmp, file);
  fs.writeFileSync(out, buildTeamsPackage(config).zip);
  const bytes = fs.readFileSync(out);
  const zip = new AdmZip(out);
  return { zip, bytes, manifest: JSON.parse(zip.readAsText('manifest.json')) as Manifest };
}

/** A content dir whose clinic.yaml is the repository's with some fields changed (undefined removes one). */
function clinicWith(changes: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'content-'));
  const clinic: unknown = parseYaml(fs.readFileSync(path.join(CONTENT_DIR, 'clinic.yaml'), 'utf8'));
  const changed = { ...(typeof clinic === 'object' && clinic !== null ? clinic : {}), ...changes };
  for (const [k, v] of Object.entries(changed)) if (v === undefined) delete changed[k as keyof typeof changed];
  fs.writeFileSync(path.join(dir, 'clinic.yaml'), stringifyYaml(changed));
  return dir;
}

/** Width, height and colour type straight from the IHDR chunk, independently of the decoder. */
function ihdr(png: Buffer): { width: number; height: number; colourType: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colourType: png[25] };
}

function problemsOf(fn: () => unknown): { where: string; message: string; fix?: string }[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof TeamsPackageError) return err.problems;
    throw err;
  }
  throw new Error('expected a TeamsPackageError');
}

describe('the Teams app package', () => {
  it('holds manifest.json, color.png and outline.png at the root of the zip', () => {
    const { zip } = build();
    expect(
      zip
        .getEntries()
        .map((e) => e.entryName)
        .sort(),
    ).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  it("writes a manifest that Microsoft's v1.21 schema accepts", () => {
    const { manifest } = build({ PUBLIC_URL: 'https://bot.example-clinic.com/api/messages' });
    // Compiled here independently of the packager; the schema says draft-04 but uses only draft-07-compatible keywords.
    const { $schema, ...schema } = JSON.parse(fs.readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
    expect($schema).toBe('http://json-schema.org/draft-04/schema#');
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate.errors ?? []).toEqual([]);
    expect(validate(manifest)).toBe(true);
    expect(manifest.manifestVersion).toBe('1.21');
    expect(manifest.$schema).toBe(
      'https://developer.microsoft.com/json-schemas/teams/v1.21/MicrosoftTeams.schema.json',
    );
  });

  it('talks to the bot named by MicrosoftAppId, one to one, without files or notifications', () => {
    const { manifest } = build();
    expect(manifest.bots).toHaveLength(1);
    const [bot] = manifest.bots;
    expect(bot.botId).toBe(BOT_ID);
    expect(bot.scopes).toEqual(['personal']);
    expect(bot.supportsFiles).toBe(false);
    expect(bot.isNotificationOnly).toBe(false);
    expect(bot.commandLists?.every((l) => l.scopes.length === 1 && l.scopes[0] === 'personal')).toBe(true);
  });

  it('names the app and its developer after the clinic, with links to its website', () => {
    const { manifest } = build();
    expect(manifest.name.short).toBe('Sample Skin Clinic');
    expect(manifest.developer).toEqual({
      name: 'Sample Skin Clinic',
      websiteUrl: 'https://sample-skin-clinic.example',
      privacyUrl: 'https://sample-skin-clinic.example',
      termsOfUseUrl: 'https://sample-skin-clinic.example',
    });
    expect(manifest.description.full).toContain('+1 555 0100');
    expect(manifest.version).toBe('1.2.3');
  });

  it('takes the privacy and terms links, the short name and the version from the environment when given', () => {
    const { manifest } = build({
      TEAMS_PRIVACY_URL: 'https://sample-skin-clinic.example/privacy',
      TEAMS_TERMS_URL: 'https://sample-skin-clinic.example/terms',
      TEAMS_APP_NAME: 'Sample Clinic',
      TEAMS_APP_VERSION: '2.0.1',
    });
    expect(manifest.developer.privacyUrl).toBe('https://sample-skin-clinic.example/privacy');
    expect(manifest.developer.termsOfUseUrl).toBe('https://sample-skin-clinic.example/terms');
    expect(manifest.name.short).toBe('Sample Clinic');
    expect(manifest.version).toBe('2.0.1');
  });

  it('lists the host of PUBLIC_URL in validDomains, and no domain without it', () => {
    expect(build({ PUBLIC_URL: 'https://bot.example-clinic.com/api/messages' }).manifest.validDomains).toEqual([
      'bot.example-clinic.com',
    ]);
    expect(build().manifest.validDomains).toBeUndefined();
  });

  it('keeps the same Teams app id, and the same bytes, when packaged again', () => {
    const first = build({}, 'first.zip');
    const second = build({}, 'second.zip');
    expect(first.manifest.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.manifest.id).not.toBe(BOT_ID);
    expect(second.manifest.id).toBe(first.manifest.id);
    expect(second.bytes.equals(first.bytes)).toBe(true);
    expect(build({ MicrosoftAppId: '9f8e7d6c-5b4a-4321-8fed-cba987654321' }).manifest.id).not.toBe(first.manifest.id);
  });

  it('uses TEAMS_APP_ID as the app id when it is set', () => {
    expect(build({ TEAMS_APP_ID: '2B5C1F0E-8D3A-4C6B-9E7F-0A1B2C3D4E5F' }).manifest.id).toBe(
      '2b5c1f0e-8d3a-4c6b-9e7f-0a1b2c3d4e5f',
    );
  });

  it('draws a 192×192 colour icon and a 32×32 outline icon, white on a transparent background', () => {
    const { zip } = build();
    const color = zip.readFile('color.png');
    const outline = zip.readFile('outline.png');
    if (!color || !outline) throw new Error('icons missing');
    expect(ihdr(color)).toEqual({ width: 192, height: 192, colourType: 6 });
    expect(ihdr(outline)).toEqual({ width: 32, height: 32, colourType: 6 });

    const image = decodePng(outline);
    const pixel = (x: number, y: number): number[] => [
      ...image.pixels.subarray((y * 32 + x) * 4, (y * 32 + x) * 4 + 4),
    ];
    for (const [x, y] of [
      [0, 0],
      [31, 0],
      [0, 31],
      [31, 31],
    ])
      expect(pixel(x, y)[3]).toBe(0);
    let opaque = 0;
    for (let i = 0; i < image.pixels.length; i += 4) {
      const [r, g, b, a] = image.pixels.subarray(i, i + 4);
      if (a > 0) expect([r, g, b]).toEqual([255, 255, 255]);
      if (a === 255) opaque++;
    }
    expect(opaque).toBeGreaterThan(200);
  });

  it('fills the colour icon with TEAMS_ACCENT_COLOR, which is also the accent colour', () => {
    const { zip, manifest } = build({ TEAMS_ACCENT_COLOR: '#7a1f5c' });
    expect(manifest.accentColor).toBe('#7A1F5C');
    const color = decodePng(zip.readFile('color.png') ?? Buffer.alloc(0));
    expect([...color.pixels.subarray(0, 4)]).toEqual([0x7a, 0x1f, 0x5c, 255]);
    // The symbol in the middle is white on a dark accent.
    const middle = (110 * 192 + 96) * 4;
    expect([...color.pixels.subarray(middle, middle + 4)]).not.toEqual([0x7a, 0x1f, 0x5c, 255]);
  });

  it("takes the clinic profile's brand colour when there is one, else a default teal", () => {
    const branded = build({ CONTENT_DIR: clinicWith({ brand: { primaryColor: '#1d3557' } }) });
    expect(branded.manifest.accentColor).toBe('#1D3557');
    const plain = build({ CONTENT_DIR: clinicWith({ brand: undefined }) });
    expect(plain.manifest.accentColor).toBe(DEFAULT_ACCENT);
  });

  it('offers starter commands that the bot understands as they are written', async () => {
    const { manifest } = build();
    const commands = manifest.bots[0].commandLists?.flatMap((l) => l.commands) ?? [];
    expect(commands.length).toBeGreaterThanOrEqual(3);
    const { engine } = await realContent();
    for (const { title } of commands) {
      const reply = engine.respond(title, 'en');
      expect({ title, kind: reply.kind, lang: reply.lang }).toEqual({
        title,
        kind: expect.stringMatching(/^(answer|flow|command)$/),
        lang: 'en',
      });
    }
  });
});

describe('refusing to build a package Teams would not accept', () => {
  it('fails without MicrosoftAppId, saying which value it needs', () => {
    expect(() => loadTeamsPackageConfig({}, { cwd: ROOT })).toThrow(TeamsPackageConfigError);
    expect(() => loadTeamsPackageConfig({ MicrosoftAppId: '  ' }, { cwd: ROOT })).toThrow(
      /MicrosoftAppId: not set\. A Teams package names the Azure Bot/,
    );
  });

  it('fails on a MicrosoftAppId that is not an app id, and on malformed optional values', () => {
    expect(() => loadTeamsPackageConfig({ MicrosoftAppId: 'my-bot' }, { cwd: ROOT })).toThrow(
      /MicrosoftAppId: "my-bot" is not a Microsoft App ID/,
    );
    let problems: string[] = [];
    try {
      loadTeamsPackageConfig(
        {
          MicrosoftAppId: BOT_ID,
          TEAMS_ACCENT_COLOR: 'teal',
          TEAMS_PRIVACY_URL: 'http://x.example/privacy',
          TEAMS_APP_VERSION: '1.0',
        },
        { cwd: ROOT },
      );
    } catch (err) {
      if (err instanceof TeamsPackageConfigError) problems = err.problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(/^TEAMS_APP_VERSION: must be MAJOR\.MINOR\.PATCH/),
      expect.stringMatching(/^TEAMS_ACCENT_COLOR: must be a colour written #RRGGBB/),
      expect.stringMatching(/^TEAMS_PRIVACY_URL: must be an https:\/\/ address/),
    ]);
  });

  it('reports a clinic name too long for Teams, with the fix', () => {
    const contentDir = clinicWith({ name: 'The Very Long Named Skin and Laser Clinic of Sampletown' });
    const problems = problemsOf(() =>
      buildTeamsPackage(loadTeamsPackageConfig({ MicrosoftAppId: BOT_ID, CONTENT_DIR: contentDir }, { cwd: ROOT })),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        {
          where: 'name.short',
          message:
            'must NOT have more than 30 characters ' +
            '(it has 55: "The Very Long Named Skin and Laser Clinic of Sampletown")',
          fix: expect.stringContaining('TEAMS_APP_NAME'),
        },
        expect.objectContaining({
          where: 'developer.name',
          message: expect.stringContaining('must NOT have more than 32 characters'),
        }),
      ]),
    );
    // A short name for Teams is enough; the full name keeps the clinic's.
    const config = loadTeamsPackageConfig(
      { MicrosoftAppId: BOT_ID, CONTENT_DIR: contentDir, TEAMS_APP_NAME: 'Sampletown Skin Clinic' },
      { cwd: ROOT },
    );
    const manifest = JSON.parse(new AdmZip(buildTeamsPackage(config).zip).readAsText('manifest.json')) as Manifest;
    expect(manifest.name).toEqual({
      short: 'Sampletown Skin Clinic',
      full: 'The Very Long Named Skin and Laser Clinic of Sampletown consultation assistant',
    });
  });

  it(
    "holds the manifest to Teams' limits through the schema: " + 'name 30, descriptions 80 and 4000, accent #RRGGBB',
    () => {
      const { manifest } = build();
      const schema = ManifestSchema.load(SCHEMA_PATH);
      expect(schema.validate(manifest)).toEqual([]);
      const broken = (change: (m: Manifest) => void): string[] => {
        const copy = JSON.parse(JSON.stringify(manifest)) as Manifest;
        change(copy);
        return schema.validate(copy).map((p) => p.where);
      };
      expect(broken((m) => (m.name.short = 'x'.repeat(31)))).toEqual(['name.short']);
      expect(broken((m) => (m.description.short = 'x'.repeat(81)))).toEqual(['description.short']);
      expect(broken((m) => (m.description.full = 'x'.repeat(4001)))).toEqual(['description.full']);
      expect(broken((m) => (m.accentColor = 'teal'))).toEqual(['accentColor']);
      expect(broken((m) => (m.bots[0].scopes = ['personal', 'meeting']))).toEqual(['bots[0].scopes[1]']);
      expect(broken((m) => (m.bots[0].botId = 'my-bot'))).toEqual(['bots[0].botId']);
    },
  );

  it('rejects a zip whose manifest sits in a folder', () => {
    const zip = new AdmZip();
    zip.addFile('app/manifest.json', Buffer.from('{}'));
    expect(checkTeamsPackage(zip.toBuffer(), ManifestSchema.load(SCHEMA_PATH)).problems).toEqual([
      expect.objectContaining({ where: 'app/manifest.json', message: expect.stringContaining('root of the zip') }),
    ]);
  });

  it('rejects icons of the wrong size, missing icons and an outline with colour in it', () => {
    const good = new AdmZip(build().bytes);
    const zip = new AdmZip();
    zip.addFile('manifest.json', good.readFile('manifest.json') ?? Buffer.alloc(0));
    zip.addFile('color.png', encodePng({ width: 100, height: 100, pixels: Buffer.alloc(100 * 100 * 4, 255) }));
    const red = Buffer.alloc(32 * 32 * 4);
    red.set([255, 0, 0, 255], 0);
    zip.addFile('outline.png', encodePng({ width: 32, height: 32, pixels: red }));
    expect(checkTeamsPackage(zip.toBuffer(), ManifestSchema.load(SCHEMA_PATH)).problems).toEqual([
      { where: 'color.png', message: 'must be 192×192 pixels (it is 100×100)' },
      {
        where: 'outline.png',
        message: expect.stringContaining('only white (255,255,255) and transparency; 1 pixel(s)'),
      },
    ]);
    zip.deleteFile('outline.png');
    expect(checkTeamsPackage(zip.toBuffer(), ManifestSchema.load(SCHEMA_PATH)).problems).toContainEqual({
      where: 'icons.outline',
      message: 'names "outline.png", which is not in the package',
    });
  });
});

describe('pieces of the packager', () => {
  it('derives name-based UUIDs as RFC 9562 version 5 does', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('reads PNG rows written with every filter type', () => {
    const width = 3;
    const height = 5;
    const pixels = Buffer.from(Array.from({ length: width * height * 4 }, (_, i) => (i * 37 + (i >> 2) * 11) & 0xff));
    const stride = width * 4;
    const row = (y: number, x: number): number => (y < 0 || x < 0 ? 0 : pixels[y * stride + x]);
    const paeth = (a: number, b: number, c: number): number => {
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    };
    const filtered: number[] = [];
    for (let y = 0; y < height; y++) {
      const filter = y; // 0 none, 1 sub, 2 up, 3 average, 4 paeth
      filtered.push(filter);
      for (let x = 0; x < stride; x++) {
        const [v, a, b, c] = [row(y, x), row(y, x - 4), row(y - 1, x), row(y - 1, x - 4)];
        const predicted = [0, a, b, (a + b) >> 1, paeth(a, b, c)][filter];
        filtered.push((v - predicted) & 0xff);
      }
    }
    const chunk = (type: string, data: Buffer): Buffer => {
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const out = Buffer.alloc(body.length + 8);
      out.writeUInt32BE(data.length, 0);
      body.copy(out, 4);
      out.writeUInt32BE(crc32(body), body.length + 4);
      return out;
    };
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header.set([8, 6, 0, 0, 0], 8);
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(Buffer.from(filtered))),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    expect(decodePng(png)).toEqual({ width, height, pixels });
  });
});

describe('npm run teams:package', () => {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const script = path.join(ROOT, 'scripts', 'teamsPackage.ts');
  /** The environment without any variable the packager reads, so the machine's own settings do not leak in. */
  const cleanEnv = (): Record<string, string> =>
    Object.fromEntries(
      Object.entries(process.env).filter(
        (e): e is [string, string] =>
          e[1] !== undefined && !/^(MicrosoftApp|TEAMS_|PUBLIC_URL$|CONTENT_DIR$)/.test(e[0]),
      ),
    );

  it('writes the zip where --out says and prints the app id, the bot id and how to upload it', () => {
    const out = path.join(tmp, 'cli', 'clinic.zip');
    const run = spawnSync(tsx, [script, '--out', out], {
      cwd: ROOT,
      env: { ...cleanEnv(), MicrosoftAppId: BOT_ID },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const manifest = JSON.parse(new AdmZip(out).readAsText('manifest.json')) as Manifest;
    expect(run.stdout).toContain(out);
    expect(run.stdout).toContain(`Teams app id: ${manifest.id}`);
    expect(run.stdout).toContain(`Bot id:       ${BOT_ID}`);
    expect(run.stdout).toMatch(/Upload a custom app/);
    expect(run.stdout).toMatch(/Teams admin center/);
  });

  it('exits with 1 and says what to set when MicrosoftAppId is missing', () => {
    const out = path.join(tmp, 'cli', 'none.zip');
    const run = spawnSync(tsx, [script, '--out', out], { cwd: ROOT, env: cleanEnv(), encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/MicrosoftAppId: not set\. A Teams package names the Azure Bot that Teams talks to/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
