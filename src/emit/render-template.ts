import Handlebars from 'handlebars';
import { ScaffoldError, type DiagnosticCode } from '../diagnostics/diagnostic.js';
import { templateFailure } from '../diagnostics/template-error.js';
import { NO_EXTENSIONS, type TemplateExtensions } from '../load/template-extensions.js';
import { noRunCache, type RunCache } from '../cache/run-cache.js';

/**
 * Handlebars with the helpers templates use. Compiled with `noEscape`: the view model has made every
 * string safe for where it lands in TypeScript, and HTML escaping would corrupt it.
 */
export interface TemplateRenderer {
  /** `templatePath` names the template in errors; a project's own template fails with SCF065, a default one with SCF024. */
  render(templatePath: string, source: string, data: unknown, code?: DiagnosticCode): string;
}

/**
 * The project's helpers and partials come after the built-in ones: a project may replace them. With a
 * cache, each template's compiled code is kept under its source (compiling them all costs a run ~80 ms).
 */
export function createTemplateRenderer(partials: Record<string, string>, extensions: TemplateExtensions = NO_EXTENSIONS, compiled: RunCache = noRunCache()): TemplateRenderer {
  const handlebars = Handlebars.create();
  handlebars.registerHelper('json', (value: unknown) => JSON.stringify(value));
  handlebars.registerHelper('docComment', (lines: unknown) => docComment(Array.isArray(lines) ? lines.map(String) : [String(lines)]));
  for (const [name, source] of Object.entries(partials)) handlebars.registerPartial(name, source);
  for (const [name, helper] of Object.entries(extensions.helpers)) handlebars.registerHelper(name, helper);
  for (const [name, source] of Object.entries(extensions.partials)) handlebars.registerPartial(name, source);
  const cache = new Map<string, HandlebarsTemplateDelegate>();

  return {
    render(templatePath, source, data, code = 'SCF024') {
      try {
        let template = cache.get(templatePath);
        if (!template) {
          const code = compiled.memoSync(COMPILE_KEY, source, (text) => String(handlebars.precompile(text, COMPILE_OPTIONS)));
          // The code Handlebars' own compile runs, of its compiler's making. Its compile also hands the options
          // on to the partials a template includes (compiled on first use), which the precompiled code does not carry.
          const spec = new Function(`return ${code};`)() as TemplateSpecification & { compilerOptions?: unknown };
          spec.compilerOptions = COMPILE_OPTIONS;
          template = handlebars.template(spec);
          cache.set(templatePath, template);
        }
        return template(data);
      } catch (cause) {
        // Syntax errors surface here too, from the compile.
        throw new ScaffoldError([templateFailure(code, templatePath, source, cause)]);
      }
    },
  };
}

const COMPILE_OPTIONS = { noEscape: true, strict: true };
const COMPILE_KEY = ['handlebars', Handlebars.VERSION, JSON.stringify(COMPILE_OPTIONS)];

/** A JSDoc block from lines already made comment-safe; multi-line entries keep their line breaks. */
export function docComment(lines: string[]): string {
  const body = lines.flatMap((line, i) => [...(i > 0 ? [''] : []), ...line.split('\n')]);
  if (body.length === 1) return `/** ${body[0]} */`;
  return ['/**', ...body.map((line) => (line === '' ? ' *' : ` * ${line}`)), ' */'].join('\n');
}
