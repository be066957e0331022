// /api/openapi.json (the document) and /api/docs: a readable page for a browser, the same JSON for a
// client asking for application/json. The page is plain HTML plus a small inline script that reads
// the JSON, so it needs nothing from the internet.
import type { FastifyInstance } from 'fastify';

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>pesan admin API</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f8f7;color:#1b1f24}
header{background:#0b6b57;color:#fff;padding:14px 18px}header h1{margin:0;font-size:20px}
main{max-width:980px;margin:0 auto;padding:12px}
.op{background:#fff;border:1px solid #dde3e0;border-radius:10px;margin:8px 0;padding:10px 12px}
.op summary{cursor:pointer;display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
.m{font:700 12px ui-monospace,monospace;padding:2px 8px;border-radius:6px;color:#fff;text-transform:uppercase}
.get{background:#0969da}.post{background:#1a7f37}.put{background:#9a6700}.patch{background:#8250df}.delete{background:#cf222e}
code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f3f5f4;padding:8px;border-radius:6px;overflow:auto;max-width:100%}
.path{word-break:break-all}.muted{color:#59636e}
</style></head><body>
<header><h1>pesan admin API</h1><div id="info" class="muted" style="color:#d8efe7"></div></header>
<main><p>Send <code>Authorization: Bearer &lt;key&gt;</code> (or sign in to the dashboard: cookie session plus <code>x-csrf-token</code>). Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<div id="ops">Loading…</div></main>
<script>
fetch('/api/openapi.json').then(function (r) { return r.json(); }).then(function (doc) {
  document.getElementById('info').textContent = doc.info.description || '';
  var box = document.getElementById('ops'); box.textContent = '';
  Object.keys(doc.paths).sort().forEach(function (path) {
    Object.keys(doc.paths[path]).forEach(function (method) {
      var op = doc.paths[path][method];
      var d = document.createElement('details'); d.className = 'op'; d.setAttribute('data-testid', 'api-op');
      var s = document.createElement('summary');
      var m = document.createElement('span'); m.className = 'm ' + method; m.textContent = method;
      var p = document.createElement('code'); p.className = 'path'; p.textContent = path;
      var t = document.createElement('span'); t.className = 'muted'; t.textContent = op.summary || '';
      s.append(m, p, t); d.append(s);
      var parts = { parameters: op.parameters, 'request body': op.requestBody, responses: op.responses };
      Object.keys(parts).forEach(function (k) {
        if (!parts[k]) return;
        var h = document.createElement('div'); h.innerHTML = '<strong></strong>'; h.firstChild.textContent = k;
        var pre = document.createElement('pre'); pre.textContent = JSON.stringify(parts[k], null, 2);
        d.append(h, pre);
      });
      box.append(d);
    });
  });
});
</script></body></html>`;

export function apiDocsRoutes(app: FastifyInstance, document: () => object): void {
  let cached: object | undefined;
  // Built on first request: by then every route has been registered.
  const doc = () => (cached ??= document());
  app.get('/api/openapi.json', async () => doc());
  app.get('/api/docs', async (req, reply) => {
    const accept = req.headers.accept ?? '';
    if (accept.includes('text/html')) return reply.type('text/html; charset=utf-8').send(page);
    return doc();
  });
}
