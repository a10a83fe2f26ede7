import Handlebars from 'handlebars';
import { ScaffoldError, error } from '../diagnostics/diagnostic.js';

/**
 * Handlebars with the helpers templates use. Compiled with `noEscape`: the view model has made every
 * string safe for where it lands in TypeScript, and HTML escaping would corrupt it.
 */
export interface TemplateRenderer {
  render(templatePath: string, source: string, data: unknown): string;
}

export function createTemplateRenderer(partials: Record<string, string>): TemplateRenderer {
  const handlebars = Handlebars.create();
  handlebars.registerHelper('json', (value: unknown) => JSON.stringify(value));
  handlebars.registerHelper('docComment', (lines: unknown) => docComment(Array.isArray(lines) ? lines.map(String) : [String(lines)]));
  for (const [name, source] of Object.entries(partials)) handlebars.registerPartial(name, source);
  const cache = new Map<string, HandlebarsTemplateDelegate>();

  return {
    render(templatePath, source, data) {
      let template = cache.get(templatePath);
      if (!template) {
        template = handlebars.compile(source, { noEscape: true, strict: true });
        cache.set(templatePath, template);
      }
      try {
        return template(data);
      } catch (cause) {
        throw new ScaffoldError([error('SCF024', `template ${templatePath} failed: ${(cause as Error).message}`, { file: templatePath })]);
      }
    },
  };
}

/** A JSDoc block from lines already made comment-safe; multi-line entries keep their line breaks. */
export function docComment(lines: string[]): string {
  const body = lines.flatMap((line, i) => [...(i > 0 ? [''] : []), ...line.split('\n')]);
  if (body.length === 1) return `/** ${body[0]} */`;
  return ['/**', ...body.map((line) => (line === '' ? ' *' : ` * ${line}`)), ' */'].join('\n');
}
