import AdmZip from 'adm-zip';
import { COLOR_ICON_SIZE, OUTLINE_ICON_SIZE } from './appIcons';
import { ManifestSchema, PackageProblem } from './manifestSchema';
import { decodePng, PngError, RgbaImage } from './png';

const MANIFEST = 'manifest.json';
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
/**
 * A host name as validDomains lists it: no scheme, path or port; `*.` only in front of a domain of two labels or more.
 */
const VALID_DOMAIN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$|^localhost$/i;

/**
 * Checks a Teams app package as Teams will read it: manifest.json at the root of the zip and valid
 * against the schema, and the rules the schema does not express but Teams enforces on upload or in
 * its store validation (icon files present, PNG, 192×192 and 32×32, the outline only white on
 * transparent; a MAJOR.MINOR.PATCH version; https links; host names in validDomains; a full
 * description that is more than the short one). Name and description lengths and the accent
 * colour's #RRGGBB form are the schema's.
 */
export function checkTeamsPackage(
  zipBytes: Buffer,
  schema: ManifestSchema,
): { manifest?: unknown; problems: PackageProblem[] } {
  let entries: Map<string, Buffer>;
  try {
    const zip = new AdmZip(zipBytes);
    entries = new Map(
      zip
        .getEntries()
        .filter((e) => !e.isDirectory)
        .map((e) => [e.entryName, e.getData()]),
    );
  } catch (err) {
    return {
      problems: [
        { where: 'package', message: `not a readable zip file (${err instanceof Error ? err.message : String(err)})` },
      ],
    };
  }
  const raw = entries.get(MANIFEST);
  if (raw === undefined) {
    const nested = [...entries.keys()].find((name) => name.endsWith(`/${MANIFEST}`));
    return {
      problems: [
        nested
          ? {
              where: nested,
              message: 'manifest.json is in a folder; Teams reads it only at the root of the zip',
              fix: 'zip the files themselves, not the folder holding them',
            }
          : { where: MANIFEST, message: 'the package has no manifest.json' },
      ],
    };
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(raw.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    return {
      problems: [{ where: MANIFEST, message: `not valid JSON (${err instanceof Error ? err.message : String(err)})` }],
    };
  }

  const problems = schema.validate(manifest);
  if (!isRecord(manifest)) return { manifest, problems };

  const icons = isRecord(manifest.icons) ? manifest.icons : {};
  const iconRules: [key: string, size: number, whiteOnTransparent: boolean][] = [
    ['color', COLOR_ICON_SIZE, false],
    ['outline', OUTLINE_ICON_SIZE, true],
    ['color32x32', OUTLINE_ICON_SIZE, false],
  ];
  for (const [key, size, whiteOnTransparent] of iconRules) {
    const file = icons[key];
    if (typeof file !== 'string') continue;
    const bytes = entries.get(file);
    if (bytes === undefined) {
      problems.push({ where: `icons.${key}`, message: `names "${file}", which is not in the package` });
      continue;
    }
    problems.push(...checkIcon(file, bytes, size, whiteOnTransparent));
  }

  if (typeof manifest.version === 'string' && !SEMVER.test(manifest.version)) {
    problems.push({
      where: 'version',
      message: `must be MAJOR.MINOR.PATCH, such as 1.0.0 (it is "${manifest.version}")`,
    });
  }
  const developer = isRecord(manifest.developer) ? manifest.developer : {};
  for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) {
    const url = developer[key];
    if (typeof url === 'string' && !/^https:\/\/[^/\s]+/i.test(url))
      problems.push({ where: `developer.${key}`, message: `Teams accepts only https:// links here (it is "${url}")` });
  }
  if (Array.isArray(manifest.validDomains)) {
    manifest.validDomains.forEach((domain: unknown, i) => {
      if (typeof domain === 'string' && !VALID_DOMAIN.test(domain)) {
        problems.push({
          where: `validDomains[${i}]`,
          message: `must be a host name such as bot.example.com, without https:// or a path (it is "${domain}")`,
        });
      }
    });
  }
  const description = isRecord(manifest.description) ? manifest.description : {};
  if (
    typeof description.short === 'string' &&
    typeof description.full === 'string' &&
    description.full.trim() === description.short.trim()
  ) {
    problems.push({
      where: 'description.full',
      message: 'is the same as description.short; Teams expects the full description to say more',
    });
  }
  return { manifest, problems };
}

function checkIcon(file: string, bytes: Buffer, size: number, whiteOnTransparent: boolean): PackageProblem[] {
  let image: RgbaImage;
  try {
    image = decodePng(bytes);
  } catch (err) {
    return [
      { where: file, message: err instanceof PngError ? err.message : `cannot be read as a PNG (${String(err)})` },
    ];
  }
  if (image.width !== size || image.height !== size)
    return [{ where: file, message: `must be ${size}×${size} pixels (it is ${image.width}×${image.height})` }];
  if (!whiteOnTransparent) return [];
  let coloured = 0;
  let transparent = 0;
  for (let i = 0; i < image.pixels.length; i += 4) {
    const [r, g, b, a] = image.pixels.subarray(i, i + 4);
    if (a === 0) transparent++;
    else if (r !== 255 || g !== 255 || b !== 255) coloured++;
  }
  const problems: PackageProblem[] = [];
  if (coloured > 0)
    problems.push({
      where: file,
      message:
        'the outline icon may hold only white (255,255,255) and transparency; ' +
        `${coloured} pixel(s) have another colour`,
    });
  if (transparent === 0)
    problems.push({ where: file, message: 'the outline icon needs a transparent background; no pixel is transparent' });
  return problems;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
