// Proof tool: `node scripts/identity-long-literals.mjs <spec>...` (after npm run build) compares formatting
// openapi-document.gen.ts around its literal with prettier on the whole text.
import * as prettier from 'prettier';
import { loadSpec } from '../dist/load/load-spec.js';
import { stringLiteral } from '../dist/model/naming.js';
import { formatAroundLongLiterals, prettierString } from '../dist/emit/format-long-literals.js';
import { PRETTIER_OPTIONS } from '../dist/emit/format-code.js';
const opts = { ...PRETTIER_OPTIONS, parser: 'typescript' };
let same = 0, diff = 0;
for (const path of process.argv.slice(2)) {
  try {
    const spec = await loadSpec(path);
    const literal = stringLiteral(JSON.stringify(spec.document));
    const text = `// header\n\n/** The spec. */\nexport const openapiDocument: Readonly<Record<string, unknown>> = JSON.parse(${literal}) as Record<string, unknown>;\n`;
    let t = performance.now();
    const whole = await prettier.format(text, opts);
    const tw = performance.now() - t; t = performance.now();
    const spliced = await formatAroundLongLiterals(text, true, (x) => prettier.format(x, opts));
    const ts = performance.now() - t;
    // The normalization alone, on every document (the splice only applies above 64 kB).
    const direct = (await prettier.format(`x = ${literal};\n`, opts)).includes(prettierString(literal, true));
    if (whole === spliced && direct) same++; else { diff++; console.log('DIFF', path, whole === spliced, direct); }
    if (literal.length > 65536) console.log(path, literal.length, `prettier ${tw.toFixed(0)} ms, spliced ${ts.toFixed(0)} ms`);
  } catch (e) { console.log('ERR', path, e.message.split('\n')[0]); }
}
console.log({ same, diff });
