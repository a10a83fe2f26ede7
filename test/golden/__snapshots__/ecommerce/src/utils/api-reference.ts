/**
 * A self-contained HTML reference of the API, rendered once at startup from the spec: no scripts,
 * no CDN, so it works offline and under a strict Content-Security-Policy.
 */
export function renderApiReference(document: Readonly<Record<string, unknown>>): string {
  const info = (document.info ?? {}) as { title?: string; version?: string; description?: string };
  const paths = (document.paths ?? {}) as Record<
    string,
    Record<string, { summary?: string; description?: string; operationId?: string; deprecated?: boolean }>
  >;
  const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
  const rows = Object.entries(paths).flatMap(([path, item]) =>
    methods
      .filter((method) => typeof item[method] === 'object')
      .map((method) => {
        const operation = item[method] ?? {};
        return `<tr${operation.deprecated ? ' class="deprecated"' : ''}><td class="method ${method}">${method.toUpperCase()}</td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(operation.summary ?? operation.operationId ?? '')}</td></tr>`;
      }),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title ?? 'API')} reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}table{border-collapse:collapse;width:100%}td{border-bottom:1px solid #ddd;padding:.4rem}.method{font-weight:700;width:5rem}.get{color:#0a7}.post{color:#06c}.put,.patch{color:#c70}.delete{color:#c33}.deprecated{opacity:.5;text-decoration:line-through}</style>
</head><body><h1>${escapeHtml(info.title ?? 'API')} <small>${escapeHtml(info.version ?? '')}</small></h1>
<p>${escapeHtml(info.description ?? '')}</p><p>Machine-readable spec: <a href="/openapi.json">/openapi.json</a></p>
<table>${rows.join('')}</table></body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
