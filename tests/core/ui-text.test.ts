/**
 * Chinese UI text uses full-width punctuation（，。：；？！）, and navigation titles fit the bar (at most 4 characters:
 * longer ones are cut to “代居民···”). Scans the string and JSX text literals of src/ with the TypeScript parser.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '../../src');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : /\.tsx?$/.test(d.name) ? [join(dir, d.name)] : [],
  );

const CJK = /[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/;
/** An ASCII , ( ) : ; ? ! right next to a CJK character (or full-width punctuation). */
const HALF = /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef][,():;?!]|[,():;?!][\u3400-\u9fff\u3000-\u303f\uff00-\uffef]/;

/** Literals that must keep ASCII: file:line and why. */
const EXCEPTIONS: Array<{ file: string; text: RegExp; why: string }> = [];

function literals(file: string): Array<{ line: number; text: string }> {
  const src = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const out: Array<{ line: number; text: string }> = [];
  const visit = (n: ts.Node) => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isJsxText(n))
      out.push({ line: src.getLineAndCharacterOfPosition(n.getStart()).line + 1, text: n.text });
    else if (ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n))
      out.push({ line: src.getLineAndCharacterOfPosition(n.getStart()).line + 1, text: n.text });
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out.filter((l) => CJK.test(l.text));
}

test('Chinese UI text has no ASCII , ( ) : ; ? ! next to a Chinese character', () => {
  const bad = files(ROOT).flatMap((f) =>
    literals(f)
      .filter((l) => HALF.test(l.text))
      .filter((l) => !EXCEPTIONS.some((e) => relative(ROOT, f) === e.file && e.text.test(l.text)))
      .map((l) => `${relative(ROOT, f)}:${l.line} ${JSON.stringify(l.text)}`),
  );
  expect(bad).toEqual([]);
});

test('the scanner sees what it should', () => {
  expect(HALF.test('心愿卡(纸质)')).toBe(true);
  expect(HALF.test('联系人:张')).toBe(true);
  expect(HALF.test('心愿卡（纸质）')).toBe(false);
  expect(HALF.test('A4 (210mm)')).toBe(false);
});

test('navigation titles are at most 4 characters', () => {
  const titles = files(ROOT).flatMap((f) => {
    const text = readFileSync(f, 'utf8');
    return [...text.matchAll(/(?:navigationBarTitleText:|setNavigationBarTitle\(\{\s*title:)\s*'([^']*)'/g)].map(
      (m) => [relative(ROOT, f), m[1]!] as const,
    );
  });
  expect(titles.length).toBeGreaterThan(20);
  expect(titles.filter(([, t]) => [...t].length > 4)).toEqual([]);
});
