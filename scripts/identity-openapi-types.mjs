// `node scripts/identity-openapi-types.mjs <spec>...` (after npm run build)
// Compares the piece-by-piece types with the whole run on the given specs.
import { loadSpec } from '../dist/load/load-spec.js';
import { generateOpenApiTypes } from '../dist/emit/openapi-types.js';
for (const path of process.argv.slice(2)) {
  try {
    const spec = await loadSpec(path);
    let t = performance.now();
    const whole = await generateOpenApiTypes(spec.document, '//h', undefined, { whole: true });
    const tw = performance.now() - t; t = performance.now();
    const pieces = await generateOpenApiTypes(spec.document, '//h');
    const tp = performance.now() - t;
    console.log(whole === pieces ? 'SAME' : 'DIFF', path, `whole ${tw.toFixed(0)} ms pieces ${tp.toFixed(0)} ms`, whole.length);
    if (whole !== pieces) {
      const a = whole.split('\n'), b = pieces.split('\n');
      const i = a.findIndex((l, k) => l !== b[k]);
      console.log('  first diff at line', i, '\n  whole :', a.slice(i - 2, i + 3).join('\n          '), '\n  pieces:', b.slice(i - 2, i + 3).join('\n          '));
    }
  } catch (e) { console.log('ERR', path, e.message.split('\n')[0]); }
}
import { generateTypesInPieces } from '../dist/emit/openapi-types-pieces.js';
import { prepareForOpenApiTypescript } from '../dist/emit/openapi-types-input.js';
for (const path of process.argv.slice(2)) {
  try { const spec = await loadSpec(path); console.log('covered', path, generateTypesInPieces(prepareForOpenApiTypescript(spec.document), {}, { memo: (k, i, c) => c(i) }, []) !== undefined); } catch (e) {}
}
