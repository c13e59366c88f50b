import * as fs from 'node:fs';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { Clinic, ClinicSchema } from '../content/schemas';
import { drawAppIcons } from './appIcons';
import { ManifestSchema, PackageProblem } from './manifestSchema';
import { checkTeamsPackage } from './packageCheck';
import { TeamsPackageConfig } from './teamsPackageConfig';

export const MANIFEST_TEMPLATE = 'manifest.template.json';
export const SCHEMA_FILE = path.join('schema', 'MicrosoftTeams.v1.21.schema.json');
/** Teal, when neither TEAMS_ACCENT_COLOR nor the clinic profile names a colour. */
export const DEFAULT_ACCENT = '#0F766E';
const ICON_FILES = { color: 'color.png', outline: 'outline.png' } as const;
/** Zip entries carry this date, so the same inputs give the same bytes (a local date: DOS times have no zone). */
const ENTRY_DATE = new Date(2024, 0, 1);

/** The optional brand block another part of the project may add to clinic.yaml; only its colour is used. */
const BrandSchema = z.object({ brand: z.object({ primaryColor: z.string().regex(/^#[0-9a-f]{6}$/i) }) });

export interface TeamsPackage {
  zip: Buffer;
  manifest: unknown;
  appId: string;
  botId: string;
  /** The manifest schema version it was validated against, e.g. "1.21". */
  manifestVersion: string;
  accentColor: string;
  accentFrom: 'TEAMS_ACCENT_COLOR' | 'clinic.yaml brand.primaryColor' | 'default';
  /** Things worth saying that do not stop the package (sample clinic details…). */
  warnings: string[];
  /** A file name for the zip: the app's short name and version. */
  fileName: string;
}

export class TeamsPackageError extends Error {
  override readonly name = 'TeamsPackageError';
  constructor(readonly problems: PackageProblem[]) {
    super(`The Teams package is not valid:\n${problems.map(formatPackageProblem).join('\n')}`);
  }
}

export function formatPackageProblem(p: PackageProblem): string {
  return `  - ${p.where}: ${p.message}${p.fix ? `\n    fix: ${p.fix}` : ''}`;
}

/** Where to change each manifest field, for the fields built from the environment or the clinic profile. */
const FIXES: [prefix: string, fix: string][] = [
  ['name.short', 'set TEAMS_APP_NAME to a shorter name for Teams (at most 30 characters)'],
  ['developer.name', 'set TEAMS_APP_NAME to a shorter name for Teams (at most 30 characters)'],
  ['developer.privacyUrl', 'set TEAMS_PRIVACY_URL, or the clinic website in content/clinic.yaml'],
  ['developer.termsOfUseUrl', 'set TEAMS_TERMS_URL, or the clinic website in content/clinic.yaml'],
  ['developer.websiteUrl', 'set website in content/clinic.yaml'],
  ['accentColor', 'set TEAMS_ACCENT_COLOR to a colour written #RRGGBB'],
  ['version', 'set TEAMS_APP_VERSION to MAJOR.MINOR.PATCH, such as 1.0.0'],
  ['validDomains', 'set PUBLIC_URL to the https address the bot is reached at'],
];

/**
 * Builds the Teams app package (manifest.json, color.png, outline.png at the root of a zip) from
 * teams/manifest.template.json, the clinic profile and the configuration, then checks the zip as
 * Teams will read it; throws TeamsPackageError listing every problem.
 */
export function buildTeamsPackage(config: TeamsPackageConfig): TeamsPackage {
  const { clinic, brandColor, problems: clinicProblems } = readClinic(config.contentDir);
  if (!clinic) throw new TeamsPackageError(clinicProblems);
  const warnings: string[] = [];
  if (clinic.sample)
    warnings.push("content/clinic.yaml says sample: true: the package shows the sample clinic's name and links.");

  const accentColor = config.accentColor ?? brandColor ?? DEFAULT_ACCENT;
  const accentFrom = config.accentColor
    ? 'TEAMS_ACCENT_COLOR'
    : brandColor
      ? 'clinic.yaml brand.primaryColor'
      : 'default';
  const websiteUrl = clinic.website ?? clinic.bookingUrl;
  const shortName = config.shortName ?? clinic.name;
  const values: Record<string, string> = {
    appId: config.appId,
    botId: config.botId,
    version: config.version,
    shortName,
    clinicName: clinic.name,
    websiteUrl,
    privacyUrl: config.privacyUrl ?? websiteUrl,
    termsUrl: config.termsUrl ?? websiteUrl,
    accentColor,
    phone: clinic.phone,
    email: clinic.email,
    bookingUrl: clinic.bookingUrl,
    emergencyNumber: clinic.emergencyNumber,
  };

  const templateFile = path.join(config.teamsDir, MANIFEST_TEMPLATE);
  let template: unknown;
  try {
    template = JSON.parse(fs.readFileSync(templateFile, 'utf8'));
  } catch (err) {
    throw new TeamsPackageError([
      {
        where: `teams/${MANIFEST_TEMPLATE}`,
        message: `cannot be read as JSON (${err instanceof Error ? err.message : String(err)})`,
      },
    ]);
  }
  const unknownNames = new Set<string>();
  const manifest = fillPlaceholders(template, values, unknownNames);
  if (unknownNames.size > 0) {
    throw new TeamsPackageError([
      {
        where: `teams/${MANIFEST_TEMPLATE}`,
        message: `unknown placeholder(s) ${[...unknownNames].map((n) => `{{${n}}}`).join(', ')}`,
        fix: `use only ${Object.keys(values)
          .map((n) => `{{${n}}}`)
          .join(', ')}`,
      },
    ]);
  }
  if (isRecord(manifest) && config.publicHost) {
    const listed: unknown[] = Array.isArray(manifest.validDomains) ? manifest.validDomains : [];
    manifest.validDomains = [...new Set([...listed, config.publicHost])];
  }

  const icons = drawAppIcons(accentColor);
  const zip = new AdmZip();
  const files: [string, Buffer][] = [
    ['manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8')],
    [ICON_FILES.color, icons.color],
    [ICON_FILES.outline, icons.outline],
  ];
  for (const [name, data] of files) zip.addFile(name, data).header.time = ENTRY_DATE;
  const bytes = zip.toBuffer();

  const schema = ManifestSchema.load(path.join(config.teamsDir, SCHEMA_FILE));
  const { problems } = checkTeamsPackage(bytes, schema);
  if (problems.length > 0) throw new TeamsPackageError(problems.map(withFix));

  return {
    zip: bytes,
    manifest,
    appId: config.appId,
    botId: config.botId,
    manifestVersion: schema.manifestVersion,
    accentColor,
    accentFrom,
    warnings,
    fileName: `${slug(shortName)}-teams-${config.version}.zip`,
  };
}

function readClinic(contentDir: string): { clinic?: Clinic; brandColor?: string; problems: PackageProblem[] } {
  const where = path.join(path.basename(contentDir), 'clinic.yaml');
  let data: unknown;
  try {
    data = parseYaml(fs.readFileSync(path.join(contentDir, 'clinic.yaml'), 'utf8'));
  } catch (err) {
    return {
      problems: [
        {
          where,
          message: `cannot be read (${err instanceof Error ? err.message : String(err)})`,
          fix: 'npm run content:check says what is wrong with it',
        },
      ],
    };
  }
  const parsed = ClinicSchema.safeParse(data);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((i) => ({
        where: `${where} ${i.path.join('.')}`.trim(),
        message: i.message,
        fix: 'npm run content:check explains it',
      })),
    };
  }
  const brand = BrandSchema.safeParse(data);
  return {
    clinic: parsed.data,
    brandColor: brand.success ? brand.data.brand.primaryColor.toUpperCase() : undefined,
    problems: [],
  };
}

/**
 * Replaces {{name}} in every string of the template; the JSON structure is never touched, so values need no escaping.
 */
function fillPlaceholders(node: unknown, values: Record<string, string>, unknownNames: Set<string>): unknown {
  if (typeof node === 'string') {
    return node.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => {
      const value = values[name];
      if (value === undefined) unknownNames.add(name);
      return value ?? whole;
    });
  }
  if (Array.isArray(node)) return node.map((n) => fillPlaceholders(n, values, unknownNames));
  if (isRecord(node))
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fillPlaceholders(v, values, unknownNames)]));
  return node;
}

function withFix(problem: PackageProblem): PackageProblem {
  if (problem.fix) return problem;
  const fix = FIXES.find(
    ([prefix]) =>
      problem.where === prefix || problem.where.startsWith(`${prefix}.`) || problem.where.startsWith(`${prefix}[`),
  )?.[1];
  return { ...problem, fix: fix ?? (problem.where.endsWith('.png') ? undefined : `check teams/${MANIFEST_TEMPLATE}`) };
}

function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s || 'clinic';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
