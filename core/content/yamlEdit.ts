import { isDeepStrictEqual } from 'node:util';
import { Document, isCollection, isMap, isNode, isScalar, isSeq, Node, parseDocument, Scalar } from 'yaml';

export type YamlPath = readonly (string | number)[];

export class YamlEditError extends Error {
  override readonly name = 'YamlEditError';
  constructor(
    message: string,
    readonly path: YamlPath,
  ) {
    super(message);
  }
}

/** How the yaml library writes what has to be written anew: no folding of long lines, `[a, b]` as the files have it. */
const RENDER = { lineWidth: 0, flowCollectionPadding: false } as const;
/** Lists of ids (`sources: [a, b]`) are written on one line, as the content files write them. */
const ID_LIKE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** New text longer than this is written as a folded block, one sentence a line. */
const LONG_TEXT = 80;

type Scalarish = string | number | boolean | null;

/**
 * Sets the value at `path` in YAML text (deletes it when `value` is undefined), rewriting only
 * the text of what changed: comments, quoting, folded answers and the rest of the file stay as
 * they were. Each way of writing the change is checked by parsing the result; when the change
 * cannot be spliced in, the smallest enclosing part is rewritten, and at worst the whole file.
 */
export function editYamlText(text: string, path: YamlPath, value: unknown): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new YamlEditError('the file is not valid YAML: fix it as a whole first', path);
  const wanted = withChange(doc.toJS(), path, value);
  const fits = (candidate: string | undefined): candidate is string => {
    if (candidate === undefined) return false;
    const check = parseDocument(candidate);
    return check.errors.length === 0 && isDeepStrictEqual(check.toJS(), wanted);
  };
  for (const candidate of spliced(text, doc, path, value)) if (fits(candidate)) return candidate;
  try {
    assign(doc, path, value);
  } catch (err) {
    throw new YamlEditError(
      `the change does not fit the file: ${err instanceof Error ? err.message : String(err)}`,
      path,
    );
  }
  for (let depth = path.length; depth >= 1; depth--) {
    const node = doc.getIn(path.slice(0, depth), true);
    if (!isCollection(node) || !node.range) continue;
    for (const rendered of renderings(node, text)) {
      const candidate = splice(text, node.range[0], node.range[1], rendered);
      if (fits(candidate)) return candidate;
    }
  }
  for (const whole of [foldSentences(doc.toString(RENDER)), doc.toString(RENDER)]) if (fits(whole)) return whole;
  throw new YamlEditError('the change could not be written as YAML', path);
}

/** The file's data with the change made, as a plain value: what any way of writing it must parse to. */
function withChange(data: unknown, path: YamlPath, value: unknown): unknown {
  if (path.length === 0) throw new YamlEditError('name a field to change', path);
  const plain: unknown = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
  let node: unknown = data;
  for (const [i, key] of path.entries()) {
    const last = i === path.length - 1;
    const here = path.slice(0, i + 1);
    if (Array.isArray(node)) {
      const limit = last && value !== undefined ? node.length : node.length - 1;
      if (typeof key !== 'number' || !Number.isInteger(key) || key < 0 || key > limit)
        throw new YamlEditError(`there is no item ${String(key)} in this list (it has ${node.length})`, here);
      if (!last) node = node[key];
      else if (value === undefined) node.splice(key, 1);
      else node[key] = plain;
    } else if (isRecord(node)) {
      if (typeof key !== 'string') throw new YamlEditError(`"${String(key)}" is not a field name`, here);
      if (!last) {
        if (node[key] === undefined || node[key] === null) {
          if (value === undefined) return data;
          node[key] = {};
        }
        node = node[key];
      } else if (value === undefined) delete node[key];
      else node[key] = plain;
    } else {
      throw new YamlEditError('this part of the file is a single value, not a list or a group of fields', here);
    }
  }
  return data;
}

/** Ways of writing the change by touching only its own text, most faithful to the file's style first. */
function* spliced(text: string, doc: Document, path: YamlPath, value: unknown): Generator<string> {
  const parentPath = path.slice(0, -1);
  const parent = parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true);
  const key = path[path.length - 1];
  const existing = doc.getIn(path, true);
  if (value === undefined) {
    if (isCollection(parent) && !parent.flow && parent.range && parent.items.length > 1) {
      const at = parent.items.findIndex((item) => (isSeq(parent) ? item === existing : keyOf(item) === key));
      const start = itemStart(parent.items[at]);
      const next = parent.items[at + 1];
      const end = next === undefined ? parent.range[1] : itemStart(next);
      if (start !== undefined && end !== undefined)
        yield text.slice(0, lineStart(text, start)) + text.slice(lineStart(text, end));
    }
    return;
  }
  if (isScalar(existing) && existing.range && isScalarish(value)) {
    const inFlow = isCollection(parent) && parent.flow === true;
    for (const rendered of scalarTexts(value, existing, text, inFlow)) {
      yield splice(text, existing.range[0], existing.range[1], rendered);
    }
    return;
  }
  if (isSeq(parent) && !parent.flow && parent.range && key === parent.items.length && parent.items.length > 0) {
    const dashColumn = lineIndent(text, parent.range[0]);
    const item = styledNode(doc, value);
    const body = isScalar(item) && isScalarish(value) ? [...scalarTexts(value, item, text, false, dashColumn + 2)] : [];
    const renderedItem = isCollection(item) ? [foldSentences(renderStandalone(item)), renderStandalone(item)] : body;
    const at = parent.range[1];
    const before = text[at - 1] === '\n' ? '' : '\n';
    for (const r of renderedItem) {
      const lines = indentAfterFirst(r.replace(/\n$/, ''), dashColumn + 2);
      yield `${text.slice(0, at)}${before}${' '.repeat(dashColumn)}- ${lines}\n${text.slice(at)}`;
    }
  }
}

/** Makes the change in the parsed document itself, keeping the nodes (and their comments and styles) that stay. */
function assign(doc: Document, path: YamlPath, value: unknown): void {
  if (value === undefined) {
    doc.deleteIn(path);
    return;
  }
  const existing = doc.getIn(path, true);
  if (isScalar(existing) && isScalarish(value)) {
    existing.value = value;
  } else if (isSeq(existing) && Array.isArray(value)) {
    const unused = [...existing.items];
    existing.items = value.map((v: unknown) => {
      const i = unused.findIndex((item) => isNode(item) && isDeepStrictEqual(item.toJSON(), v));
      return i >= 0 ? unused.splice(i, 1)[0] : styledNode(doc, v);
    });
  } else if (isMap(existing) && isRecord(value)) {
    for (const item of [...existing.items]) {
      const k = keyOf(item);
      if (k !== undefined && !(k in value)) existing.delete(k);
    }
    for (const [k, v] of Object.entries(value)) if (v !== undefined) assign(doc, [...path, k], v);
  } else {
    doc.setIn(path, styledNode(doc, value));
  }
}

/** A new node written in the files' style: id lists on one line, long text as a folded block. */
function styledNode(doc: Document, value: unknown): Node {
  const node = doc.createNode(value);
  const style = (n: unknown): void => {
    if (isSeq(n)) {
      n.flow = n.items.every((item) => isScalar(item) && typeof item.value === 'string' && ID_LIKE.test(item.value));
      n.items.forEach(style);
    } else if (isMap(n)) {
      for (const pair of n.items) style(pair.value);
    } else if (isScalar(n) && typeof n.value === 'string') {
      if (n.value.includes('\n')) n.type = Scalar.BLOCK_LITERAL;
      else if (n.value.length > LONG_TEXT) n.type = Scalar.BLOCK_FOLDED;
    }
  };
  style(node);
  return node;
}

/** A value's text in the style of the scalar it replaces, then plainer and safer ways. */
function* scalarTexts(
  value: Scalarish,
  original: Scalar,
  text: string,
  inFlow: boolean,
  contentIndent?: number,
): Generator<string> {
  if (typeof value !== 'string') {
    yield String(value);
    return;
  }
  const block = original.type === Scalar.BLOCK_FOLDED || original.type === Scalar.BLOCK_LITERAL;
  const clean = value !== '' && value.trim() === value;
  if (block && !inFlow && clean) {
    const indent =
      contentIndent ?? blockContentIndent(text, original) ?? lineIndent(text, original.range?.[0] ?? 0) + 2;
    const pad = ' '.repeat(indent);
    if (!value.includes('\n'))
      yield `>-\n${sentences(value)
        .map((s) => pad + s)
        .join('\n')}\n`;
    else
      yield `|-\n${value
        .split('\n')
        .map((l) => (l === '' ? '' : pad + l))
        .join('\n')}\n`;
  }
  if (original.type === Scalar.QUOTE_DOUBLE) yield JSON.stringify(value);
  if (!value.includes('\n') && clean && !(inFlow && /[,[\]{}]/.test(value))) {
    if (original.type === Scalar.QUOTE_SINGLE) yield `'${value.replace(/'/g, "''")}'`;
    if (original.type !== Scalar.QUOTE_DOUBLE) yield value;
    yield `'${value.replace(/'/g, "''")}'`;
  }
  // A JSON string is a valid double-quoted YAML scalar.
  yield JSON.stringify(value);
}

/** A collection written on its own, its comments before and after left where they are in the file. */
function* renderings(node: Node, text: string): Generator<string> {
  const start = node.range?.[0] ?? 0;
  const end = node.range?.[1] ?? 0;
  const plain = renderStandalone(node);
  for (const r of [foldSentences(plain), plain]) {
    const body = indentAfterFirst(r.replace(/\n$/, ''), column(text, start));
    yield text[end - 1] === '\n' ? `${body}\n` : body;
  }
}

function renderStandalone(node: Node): string {
  const copy: unknown = node.clone();
  if (!isNode(copy)) return '';
  copy.commentBefore = undefined;
  copy.comment = undefined;
  copy.spaceBefore = undefined;
  const standalone = new Document();
  standalone.contents = copy;
  return standalone.toString(RENDER);
}

/** Folded blocks written one sentence a line (the yaml library writes a paragraph on one line). */
function foldSentences(rendered: string): string {
  const lines = rendered.split('\n');
  const out: string[] = [];
  let headerIndent: number | undefined;
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    if (headerIndent !== undefined && line.trim() !== '' && indent > headerIndent) {
      out.push(...sentences(line.trimStart()).map((s) => ' '.repeat(indent) + s));
      continue;
    }
    headerIndent = /(^|[:-] )>-?$/.test(line.trimEnd()) ? indent : undefined;
    out.push(line);
  }
  return out.join('\n');
}

/** Splits text where a folded block joins lines back with one space. */
function sentences(text: string): string[] {
  return text.split(/(?<=[.!?]) (?=[^ ])/);
}

function splice(text: string, start: number, end: number, replacement: string): string {
  const keepsNewline = text[end - 1] === '\n';
  const body = replacement.replace(/\n$/, '');
  return text.slice(0, start) + body + (keepsNewline ? '\n' : '') + text.slice(end);
}

function indentAfterFirst(text: string, indent: number): string {
  const pad = ' '.repeat(indent);
  return text
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : pad + line))
    .join('\n');
}

/** Where an item of a block list or map starts: its value, or its key. */
function itemStart(item: unknown): number | undefined {
  if (isNode(item)) return item.range?.[0];
  if (item !== null && typeof item === 'object' && 'key' in item && isNode(item.key)) return item.key.range?.[0];
  return undefined;
}

function keyOf(item: unknown): string | number | undefined {
  if (item !== null && typeof item === 'object' && 'key' in item) {
    const k = isScalar(item.key) ? item.key.value : item.key;
    return typeof k === 'string' || typeof k === 'number' ? k : undefined;
  }
  return undefined;
}

/** The indentation of a block scalar's content as the file has it. */
function blockContentIndent(text: string, scalar: Scalar): number | undefined {
  if (!scalar.range) return undefined;
  const body = text.slice(scalar.range[0], scalar.range[1]).split('\n').slice(1);
  const first = body.find((l) => l.trim() !== '');
  return first === undefined ? undefined : first.length - first.trimStart().length;
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function column(text: string, pos: number): number {
  return pos - lineStart(text, pos);
}

function lineIndent(text: string, pos: number): number {
  const start = lineStart(text, pos);
  let i = start;
  while (text[i] === ' ') i++;
  return i - start;
}

function isScalarish(v: unknown): v is Scalarish {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
