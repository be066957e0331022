// Measures one pesan instance's memory (RSS) on PGlite: at idle, and its peak while a CSV price list of
// about 9 MB is imported through the admin API. Run: npx tsx test/faults/memory.ts [csvMegabytes]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/pesan.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
};

const megabytes = Number(process.argv[2] ?? 9);
const dir = mkdtempSync(join(tmpdir(), 'pesan-mem-'));
const port = await freePort();
const proc = spawn(process.execPath, ['--import', 'tsx', 'test/faults/instance.ts'], {
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', SANDBOX: '1', ADMIN_API_KEY: 'k', PESAN_DATA_DIR: dir, LOG_LEVEL: 'silent', DATABASE_URL: '' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((r) => proc.stdout!.on('data', (d) => String(d).includes('ready') && r()));
const pid = proc.pid!;
const base = `http://127.0.0.1:${port}`;
console.log(`started: ${rssMb(pid)} MB`);
await sleep(15_000);
const idle = rssMb(pid);
console.log(`idle after 15 s: ${idle} MB`);

const rows: string[] = ['sku,name,price,stock,unit,category'];
let size = rows[0].length;
for (let i = 0; size < megabytes * 1024 * 1024; i++) {
  const line = `MEM-${i},Produk uji memori nomor ${i} ukuran ${i % 900}g rasa ${['asli', 'coklat', 'keju'][i % 3]},${1000 + (i % 5000)},${i % 200},pcs,${['sembako', 'minuman', 'mandi'][i % 3]}`;
  rows.push(line);
  size += line.length + 1;
}
const csv = rows.join('\n');
let peak = rssMb(pid);
const poll = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100);
const t0 = Date.now();
const res = await fetch(`${base}/api/v1/products/import`, { method: 'POST', headers: { authorization: 'Bearer k', 'content-type': 'text/csv' }, body: csv });
const body = await res.text();
clearInterval(poll);
console.log(`import of ${(csv.length / 1048576).toFixed(1)} MB (${rows.length - 1} rows): ${res.status} ${body.slice(0, 120)} in ${Date.now() - t0} ms; peak ${peak} MB (+${peak - idle} MB over idle)`);
await sleep(10_000);
console.log(`10 s after the import: ${rssMb(pid)} MB`);
proc.kill('SIGKILL');
rmSync(dir, { recursive: true, force: true });
