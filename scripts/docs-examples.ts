/**
 * The `@example` blocks of the published API: which exported functions and classes have
 * one, and running them. Used by scripts/docs-check.ts (see CONTRIBUTING.md, "Writing
 * examples", for the rules an example follows).
 *
 * Extraction works on TypeDoc's reflections (the same conversion the API site uses), so
 * what is checked is what readers see. Each example becomes a module: its workspace
 * imports point at the sources, names it uses from its own package or from `tapegrad`
 * without importing them are imported for it, and every statement followed by a result
 * comment (`// [4, 6]`, `// → 2.5`) checks its value when it runs.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import {
  type Comment,
  type DeclarationReflection,
  type ProjectReflection,
  ReflectionKind,
  ReflectionType,
} from 'typedoc';
import ts from 'typescript';
import { repoRoot } from './published.ts';
import type { Expected } from './docs-examples-runtime.ts';

/** One exported function, class or namespace member that needs an example. */
export interface DocItem {
  /** Declaring package, e.g. `@tapegrad/ops-math`. */
  pkg: string;
  /** `add`, `Tensor`, `losses.huberLoss`. */
  name: string;
  summary: boolean;
  examples: string[];
  /** A class member: its example is run when it has one, but none is required. */
  optional?: boolean;
}

/** Workspace package name -> its source entry (what the vitest aliases map to). */
export function sourceEntries(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const dir of readdirSync(join(repoRoot, 'packages'))) {
    let name: string;
    try {
      name = (
        JSON.parse(readFileSync(join(repoRoot, 'packages', dir, 'package.json'), 'utf8')) as {
          name: string;
        }
      ).name;
    } catch {
      continue;
    }
    entries.set(name, join(repoRoot, 'packages', dir, 'src', 'index.ts'));
    entries.set(`${name}/testing`, join(repoRoot, 'packages', dir, 'src', 'testing', 'index.ts'));
  }
  return entries;
}

const commentOf = (r: DeclarationReflection): Comment | undefined =>
  r.comment ?? r.signatures?.find((s) => s.comment)?.comment;

function functionComment(r: DeclarationReflection): Comment | undefined {
  if (r.comment) return r.comment;
  const sigs =
    r.signatures ?? (r.type instanceof ReflectionType ? r.type.declaration.signatures : undefined);
  return sigs?.find((s) => s.comment)?.comment;
}

const isCallable = (r: DeclarationReflection): boolean =>
  r.kind === ReflectionKind.Function ||
  ((r.kind === ReflectionKind.Variable || r.kind === ReflectionKind.Property) &&
    r.type instanceof ReflectionType &&
    !!r.type.declaration.signatures?.length);

/** The ```ts fenced blocks of a comment's `@example` tags. */
export function exampleBlocks(comment: Comment | undefined): string[] {
  const blocks: string[] = [];
  for (const tag of comment?.blockTags ?? []) {
    if (tag.tag !== '@example') continue;
    const text = tag.content.map((p) => p.text).join('');
    let current: string[] | null = null;
    for (const line of text.split('\n')) {
      const fence = /^\s*```\s*(\w*)\s*$/.exec(line);
      if (fence && current === null)
        current = fence[1] === '' || /^(ts|typescript)$/.test(fence[1]!) ? [] : null;
      else if (fence && current !== null) {
        blocks.push(current.join('\n'));
        current = null;
      } else current?.push(line);
    }
  }
  return blocks;
}

const hasSummary = (c: Comment | undefined): boolean =>
  !!c && c.summary.some((p) => p.text.trim() !== '');

/**
 * Every exported function and class of every converted package, attributed to the package
 * that declares it (a re-export in the umbrella is the same item), plus the callable members
 * of exported namespace objects (`losses.huberLoss`, `train.sgd`) that are not top-level
 * functions themselves.
 */
export function collectDocItems(project: ProjectReflection): DocItem[] {
  const items = new Map<string, DocItem>();
  const add = (pkg: string, name: string, comment: Comment | undefined): void => {
    const key = `${pkg}:${name}`;
    if (items.has(key)) return;
    items.set(key, { pkg, name, summary: hasSummary(comment), examples: exampleBlocks(comment) });
  };
  for (const mod of project.children ?? []) {
    const children = mod.children ?? [];
    const topLevelComments = new Set(
      children.filter(isCallable).map((c) => JSON.stringify(functionComment(c)?.summary)),
    );
    const declaringPackage = (r: DeclarationReflection): string =>
      project.getSymbolIdFromReflection(r)?.packageName ?? mod.name;
    for (const child of children) {
      if (child.kind === ReflectionKind.Class) {
        add(declaringPackage(child), child.name, commentOf(child));
        for (const m of child.children ?? []) {
          if (m.inheritedFrom) continue; // run once, on the class that declares it
          const comment = functionComment(m) ?? m.getSignature?.comment ?? m.setSignature?.comment;
          const examples = exampleBlocks(comment);
          const key = `${declaringPackage(child)}:${child.name}.${m.name}`;
          if (examples.length && !items.has(key))
            items.set(key, {
              pkg: declaringPackage(child),
              name: `${child.name}.${m.name}`,
              summary: hasSummary(comment),
              examples,
              optional: true,
            });
        }
      } else if (isCallable(child))
        add(declaringPackage(child), child.name, functionComment(child));
      else if (child.kind === ReflectionKind.Variable && child.type instanceof ReflectionType) {
        const members = (prefix: string, decl: DeclarationReflection): void => {
          for (const m of decl.children ?? []) {
            if (m.type instanceof ReflectionType && !m.type.declaration.signatures?.length)
              members(`${prefix}.${m.name}`, m.type.declaration);
            if (!isCallable(m)) continue;
            const comment = functionComment(m);
            // A member that is an exported function (`io.load` is `load`) has its example there.
            if (comment && topLevelComments.has(JSON.stringify(comment.summary))) continue;
            add(declaringPackage(child), `${prefix}.${m.name}`, comment);
          }
        };
        members(child.name, child.type.declaration);
      }
    }
  }
  return [...items.values()];
}

/** Exported names of each converted package, and whether each is a type only. */
export function exportsByPackage(project: ProjectReflection): Map<string, Map<string, boolean>> {
  const typeOnly = ReflectionKind.Interface | ReflectionKind.TypeAlias;
  const out = new Map<string, Map<string, boolean>>();
  for (const mod of project.children ?? [])
    out.set(
      mod.name,
      new Map((mod.children ?? []).map((c) => [c.name, (c.kind & typeOnly) !== 0])),
    );
  return out;
}

// ---------------------------------------------------------------------------------------
// Turning an example into a module that checks its result comments

const RESULT_START = /^(→|->)\s*/;

/**
 * The value a result comment states, or null when the comment is prose. `// → x` must be a
 * literal; without the arrow a comment counts when it is entirely a literal (`// [4, 6]`,
 * `// 2.5`, `// true`, `// 'float32'`).
 */
export function parseResultComment(comment: string): Expected | null | Error {
  let text = comment.replace(/^\/\/\s?/, '').trim();
  const arrow = RESULT_START.exec(text);
  if (arrow) text = text.slice(arrow[0].length);
  else if (!/^(\[|-?\.?\d|'|"|true\b|false\b|null\b|NaN\b|-?Infinity\b)/.test(text)) return null;
  const file = ts.createSourceFile('result.ts', `(${text})`, ts.ScriptTarget.ES2022, true);
  const stmt = file.statements[0];
  const expr =
    file.statements.length === 1 && stmt && ts.isExpressionStatement(stmt)
      ? stmt.expression
      : undefined;
  const value =
    expr && ts.isParenthesizedExpression(expr) ? literalValue(expr.expression) : undefined;
  if (value !== undefined && !(file as { parseDiagnostics?: unknown[] }).parseDiagnostics?.length)
    return value;
  return arrow ? new Error(`result comment is not a literal: ${comment}`) : null;
}

/** A literal expression as an Expected value (numbers keep the precision they are written to). */
function literalValue(e: ts.Expression): Expected | undefined {
  if (ts.isParenthesizedExpression(e)) return literalValue(e.expression);
  if (ts.isNumericLiteral(e)) return number(e.text, 1);
  if (
    ts.isPrefixUnaryExpression(e) &&
    e.operator === ts.SyntaxKind.MinusToken &&
    (ts.isNumericLiteral(e.operand) ||
      (ts.isIdentifier(e.operand) && e.operand.text === 'Infinity'))
  )
    return number(e.operand.getText(), -1);
  if (ts.isIdentifier(e) && (e.text === 'NaN' || e.text === 'Infinity')) return number(e.text, 1);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return { str: e.text };
  if (e.kind === ts.SyntaxKind.TrueKeyword) return { bool: true };
  if (e.kind === ts.SyntaxKind.FalseKeyword) return { bool: false };
  if (e.kind === ts.SyntaxKind.NullKeyword) return { nil: true };
  if (ts.isArrayLiteralExpression(e)) {
    const items = e.elements.map((x) => literalValue(x));
    return items.every((x) => x !== undefined) ? { arr: items as Expected[] } : undefined;
  }
  if (ts.isObjectLiteralExpression(e)) {
    const obj: Record<string, Expected> = {};
    for (const p of e.properties) {
      if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
        return undefined;
      const v = literalValue(p.initializer);
      if (v === undefined) return undefined;
      obj[p.name.text] = v;
    }
    return { obj };
  }
  return undefined;
}

/** A number written as `text`: within half a unit of its last decimal, or exact-ish if none. */
function number(text: string, sign: 1 | -1): Expected {
  const value = sign * Number(text);
  const decimals = /\.(\d+)/.exec(text)?.[1]?.length ?? 0;
  const tolerance = decimals
    ? 0.5 * 10 ** -decimals + 1e-9
    : Math.max(1e-5 * Math.abs(value), 1e-6);
  return {
    num: Number.isNaN(value) ? 'NaN' : value,
    tolerance,
    text: (sign < 0 ? '-' : '') + text,
  };
}

/** The expression a checked statement's value comes from, as [start, end] of its source. */
function checkedExpression(stmt: ts.Statement): ts.Expression | string | undefined {
  if (ts.isExpressionStatement(stmt)) {
    let e = stmt.expression;
    if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      const callee = e.expression;
      // console.log(value) / value.print()
      if (callee.getText() === 'console.log' && e.arguments.length === 1) e = e.arguments[0]!;
      else if (callee.name.text === 'print' && e.arguments.length === 0) e = callee.expression;
    }
    return e;
  }
  if (ts.isVariableStatement(stmt)) {
    const decls = stmt.declarationList.declarations;
    const name = decls.at(-1)?.name;
    if (!name) return undefined;
    if (ts.isIdentifier(name)) return name.text;
    if (ts.isArrayBindingPattern(name) && name.elements.every((x) => ts.isBindingElement(x)))
      return `[${name.elements.map((x) => (x as ts.BindingElement).name.getText()).join(', ')}]`;
  }
  return undefined;
}

export interface PreparedExample {
  code: string;
  /** Result comments found (0: the example only has to run without throwing). */
  checks: number;
  /** Line of `code` where the example's own first line is. */
  firstLine: number;
}

/**
 * The module for one example: workspace imports rewritten to source paths, implicit imports
 * added (own package first, then the umbrella `tapegrad`), result comments turned into checks.
 */
export function prepareExample(
  source: string,
  where: string,
  pkg: string,
  exportsOf: Map<string, Map<string, boolean>>,
  entries: Map<string, string>,
  runtimePath: string,
  /** How a module path is written: a file URL to run it, the path itself to type-check it. */
  specifier: (path: string) => string = (path) => pathToFileURL(path).href,
): PreparedExample {
  const file = ts.createSourceFile('example.ts', source, ts.ScriptTarget.ES2022, true);
  const edits: { pos: number; end: number; text: string }[] = [];
  const declared = new Set<string>();
  const used = new Set<string>();
  let checks = 0;

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const target = entries.get(node.moduleSpecifier.text);
      if (target)
        edits.push({
          pos: node.moduleSpecifier.getStart(),
          end: node.moduleSpecifier.end,
          text: JSON.stringify(specifier(target)),
        });
    }
    if (
      (ts.isVariableDeclaration(node) ||
        ts.isFunctionDeclaration(node) ||
        ts.isClassDeclaration(node) ||
        ts.isParameter(node) ||
        ts.isBindingElement(node) ||
        ts.isImportSpecifier(node) ||
        ts.isNamespaceImport(node) ||
        ts.isImportClause(node)) &&
      node.name
    ) {
      const collect = (n: ts.Node): void => {
        if (ts.isIdentifier(n)) declared.add(n.text);
        else n.forEachChild(collect);
      };
      collect(node.name);
    }
    if (ts.isIdentifier(node)) {
      const p = node.parent;
      const isPropertyName =
        (ts.isPropertyAccessExpression(p) && p.name === node) ||
        (ts.isPropertyAssignment(p) && p.name === node) ||
        (ts.isQualifiedName(p) && p.right === node) ||
        ((ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p)) &&
          p.name === node);
      if (!isPropertyName) used.add(node.text);
    }
    if (ts.isExpressionStatement(node) || ts.isVariableStatement(node)) {
      const comment = ts
        .getTrailingCommentRanges(source, node.end)
        ?.find((c) => c.kind === ts.SyntaxKind.SingleLineCommentTrivia);
      const expected = comment && parseResultComment(source.slice(comment.pos, comment.end));
      if (expected instanceof Error) throw new Error(`${where}: ${expected.message}`);
      if (expected) {
        const line = file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        const target = checkedExpression(node);
        const args = `${JSON.stringify(expected)}, ${JSON.stringify(`line ${line}`)}`;
        if (target === undefined)
          throw new Error(
            `${where}: line ${line}: cannot check a result comment on this statement`,
          );
        if (typeof target === 'string')
          edits.push({ pos: node.end, end: node.end, text: ` __expect(${target}, ${args});` });
        else {
          edits.push({ pos: target.getStart(), end: target.getStart(), text: '__expect(' });
          edits.push({ pos: target.end, end: target.end, text: `, ${args})` });
        }
        checks++;
      }
    }
    node.forEachChild(visit);
  };
  visit(file);

  let body = source;
  for (const e of edits.sort((a, b) => b.pos - a.pos || b.end - a.end))
    body = body.slice(0, e.pos) + e.text + body.slice(e.end);

  const imports: string[] = [
    `import ${JSON.stringify(specifier(entries.get('tapegrad')!))};`,
    `import { __expect } from ${JSON.stringify(specifier(runtimePath))};`,
  ];
  const taken = new Set(declared);
  for (const from of [pkg, 'tapegrad']) {
    const names = exportsOf.get(from);
    const entry = entries.get(from);
    if (!names || !entry) continue;
    const values: string[] = [];
    const types: string[] = [];
    for (const name of used) {
      if (taken.has(name) || !names.has(name)) continue;
      taken.add(name);
      (names.get(name) ? types : values).push(name);
    }
    const url = JSON.stringify(specifier(entry));
    if (values.length) imports.push(`import { ${values.join(', ')} } from ${url};`);
    if (types.length) imports.push(`import type { ${types.join(', ')} } from ${url};`);
  }
  return {
    code: `${imports.join('\n')}\n${body}\nexport {};\n`,
    checks,
    firstLine: imports.length + 1,
  };
}

export interface ExampleFailure {
  where: string;
  message: string;
  output: string;
}

/**
 * Runs the examples one after the other in this process (tsx compiles them), each on the
 * default engine of the umbrella package with its default backends. Returns the failures.
 */
export async function runExamples(
  items: DocItem[],
  exportsOf: Map<string, Map<string, boolean>>,
  dir: string,
  onResult?: (where: string, ok: boolean, output: string) => void,
): Promise<{ failures: ExampleFailure[]; ran: number; checks: number }> {
  const entries = sourceEntries();
  // Deterministic and quick: no GPU adapter probing; the examples run on wasm.
  process.env.TAPEGRAD_WEBGPU ??= 'off';
  const runtimePath = join(repoRoot, 'scripts', 'docs-examples-runtime.ts');
  // Imported the way the examples import it (a module in `dir`), so that both see the same
  // module instances whichever tsconfig tsx resolves the workspace's own imports with.
  mkdirSync(dir, { recursive: true });
  const umbrellaUrl = JSON.stringify(pathToFileURL(entries.get('tapegrad')!).href);
  writeFileSync(join(dir, 'umbrella.mts'), `export * from ${umbrellaUrl};\n`);
  const umbrella = (await import(pathToFileURL(join(dir, 'umbrella.mts')).href)) as {
    getBackend(): string;
    setBackend(name: string): Promise<unknown>;
    ready(): Promise<unknown>;
  };
  await umbrella.ready();
  const backend = umbrella.getBackend();
  const failures: ExampleFailure[] = [];
  let ran = 0;
  let checks = 0;
  // Files an example writes with a relative path land in `dir` (removed afterwards).
  const cwd = process.cwd();
  process.chdir(dir);
  const log = console.log;
  try {
    for (const item of items) {
      for (const [i, source] of item.examples.entries()) {
        const many = item.examples.length > 1 ? ` (example ${i + 1})` : '';
        const where = `${item.pkg} ${item.name}${many}`;
        const output: string[] = [];
        console.log = (...args: unknown[]) => {
          output.push(args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' '));
        };
        let error: unknown;
        try {
          const prepared = prepareExample(source, where, item.pkg, exportsOf, entries, runtimePath);
          checks += prepared.checks;
          const file = join(dir, `${item.pkg.replace(/\W+/g, '_')}-${item.name}-${i}.mts`);
          writeFileSync(file, prepared.code);
          await import(pathToFileURL(file).href);
        } catch (e) {
          error = e ?? new Error('threw undefined');
        } finally {
          console.log = log;
        }
        ran++;
        if (error !== undefined)
          failures.push({
            where,
            message: error instanceof Error ? error.message : String(error),
            output: output.join('\n'),
          });
        onResult?.(where, error === undefined, output.join('\n'));
        if (umbrella.getBackend() !== backend) await umbrella.setBackend(backend);
      }
    }
  } finally {
    console.log = log;
    process.chdir(cwd);
  }
  return { failures, ran, checks };
}

/**
 * Type-checks the examples as users would compile them (the repository's strict compiler
 * options, workspace imports resolved to the sources). Returns one message per error.
 */
export function typecheckExamples(
  items: DocItem[],
  exportsOf: Map<string, Map<string, boolean>>,
  dir: string,
): string[] {
  const entries = sourceEntries();
  const runtimePath = join(repoRoot, 'scripts', 'docs-examples-runtime.ts');
  const config = ts.getParsedCommandLineOfConfigFile(
    join(repoRoot, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) return ['cannot read tsconfig.json'];
  const files = new Map<string, { where: string; firstLine: number }>();
  const problems: string[] = [];
  for (const item of items) {
    for (const [i, source] of item.examples.entries()) {
      const where = `${item.pkg} ${item.name}${item.examples.length > 1 ? ` (example ${i + 1})` : ''}`;
      try {
        const prepared = prepareExample(
          source,
          where,
          item.pkg,
          exportsOf,
          entries,
          runtimePath,
          (path) => path,
        );
        const file = join(dir, `check-${item.pkg.replace(/\W+/g, '_')}-${item.name}-${i}.mts`);
        writeFileSync(file, prepared.code);
        files.set(file, { where, firstLine: prepared.firstLine });
      } catch (e) {
        problems.push(`${where}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  const program = ts.createProgram([...files.keys()], {
    ...config.options,
    noEmit: true,
    allowImportingTsExtensions: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  });
  for (const [file, { where, firstLine }] of files) {
    const sf = program.getSourceFile(file);
    if (!sf) continue;
    for (const d of [
      ...program.getSyntacticDiagnostics(sf),
      ...program.getSemanticDiagnostics(sf),
    ]) {
      const line = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line + 1;
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n    ');
      problems.push(`${where}: line ${Math.max(1, line - firstLine + 1)}: ${text}`);
    }
  }
  return problems;
}
