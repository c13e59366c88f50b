import * as fs from 'node:fs';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** One thing wrong with the package, placed at a manifest field or a file in the zip. */
export interface PackageProblem {
  /** `name.short`, `color.png`, `manifest.json`… */
  where: string;
  message: string;
  fix?: string;
}

/** Draft-04 keywords whose meaning changed in draft-06/07; a schema using them cannot be read as draft-07. */
const DRAFT04_ONLY = ['exclusiveMinimum', 'exclusiveMaximum', 'id'] as const;

/**
 * Microsoft's Teams manifest schema, compiled once. The published schema declares draft-04, which
 * Ajv 8 does not bundle; it uses only keywords that mean the same in draft-04 and draft-07 (checked
 * on load), so it is compiled as draft-07 without its $schema line. Its `const` (draft-06) is
 * enforced, as Microsoft's own validator does.
 */
export class ManifestSchema {
  private constructor(
    private readonly validateFn: ValidateFunction,
    /** manifestVersion the schema accepts, e.g. "1.21". */
    readonly manifestVersion: string,
  ) {}

  static load(file: string): ManifestSchema {
    const schema: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!isRecord(schema)) throw new Error(`${file} is not a JSON schema`);
    const { $schema, ...body } = schema;
    if (
      $schema !== 'http://json-schema.org/draft-04/schema#' &&
      $schema !== 'http://json-schema.org/draft-07/schema#'
    ) {
      throw new Error(`${file} declares ${String($schema)}; only draft-04 and draft-07 schemas are supported`);
    }
    const draft04Only = findKeywords(body, DRAFT04_ONLY);
    if (draft04Only.length > 0)
      throw new Error(
        `${file} uses draft-04 keywords that Ajv 8 reads differently (${draft04Only.join(', ')}); ` +
          'validating it needs ajv-draft-04',
      );
    const manifestVersion = pick(body, ['properties', 'manifestVersion', 'const']);
    if (typeof manifestVersion !== 'string') throw new Error(`${file} does not pin a manifestVersion`);
    // strictTypes would reject Microsoft's own schema (additionalProperties beside $ref without a type).
    const ajv = new Ajv({
      allErrors: true,
      strict: true,
      strictTypes: false,
      strictTuples: false,
      strictRequired: false,
    });
    addFormats(ajv);
    return new ManifestSchema(ajv.compile(body), manifestVersion);
  }

  /** Every way the manifest breaks the schema, in words; empty when it is valid. */
  validate(manifest: unknown): PackageProblem[] {
    if (this.validateFn(manifest)) return [];
    const errors = this.validateFn.errors ?? [];
    // oneOf/anyOf add a summary line after their branches' own errors; the branches say more.
    const specific = errors.filter((e) => !['oneOf', 'anyOf', 'if'].includes(e.keyword));
    return (specific.length > 0 ? specific : errors).map((e) => describe(e, manifest));
  }
}

function describe(error: ErrorObject, manifest: unknown): PackageProblem {
  const segments = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const where =
    segments.reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '') || 'manifest.json';
  const value = pick(manifest, segments);
  let message = error.message ?? error.keyword;
  if (error.keyword === 'additionalProperties' && typeof error.params.additionalProperty === 'string') {
    message = `has a field the schema does not allow: "${error.params.additionalProperty}"`;
  } else if ((error.keyword === 'maxLength' || error.keyword === 'minLength') && typeof value === 'string') {
    message = `${message} (it has ${[...value].length}: "${value.length > 60 ? `${value.slice(0, 57)}...` : value}")`;
  } else if (error.keyword === 'enum' && Array.isArray(error.params.allowedValues)) {
    message = `must be one of ${error.params.allowedValues.map((v: unknown) => JSON.stringify(v)).join(', ')}`;
  } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    message = `${message} (it is ${JSON.stringify(value)})`;
  }
  return { where, message };
}

function pick(value: unknown, segments: readonly string[]): unknown {
  let node = value;
  for (const s of segments) {
    if (Array.isArray(node)) node = node[Number(s)];
    else if (isRecord(node)) node = node[s];
    else return undefined;
  }
  return node;
}

/** Keywords among `names` used anywhere in the schema as keywords (not as property names). */
function findKeywords(schema: unknown, names: readonly string[], at = '#'): string[] {
  if (Array.isArray(schema)) return schema.flatMap((s, i) => findKeywords(s, names, `${at}/${i}`));
  if (!isRecord(schema)) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(schema)) {
    // Under these keywords the keys are names chosen by the schema's author, not keywords.
    if (key === 'properties' || key === 'definitions' || key === 'patternProperties' || key === 'dependencies') {
      if (isRecord(value))
        for (const [name, sub] of Object.entries(value))
          found.push(...findKeywords(sub, names, `${at}/${key}/${name}`));
      continue;
    }
    if (key === 'enum' || key === 'required' || key === 'default' || key === 'const' || key === 'examples') continue;
    if (names.includes(key)) found.push(`${at}/${key}`);
    found.push(...findKeywords(value, names, `${at}/${key}`));
  }
  return found;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
