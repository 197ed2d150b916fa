import { Pool } from 'undici';
const [mode, url, token, n0] = process.argv.slice(2); const n = Number(n0);
const headers = { 'user-agent': 'x', authorization: `Bearer ${token}` };
const pool = new Pool(url);
let send;
if (mode === 'request') send = async () => { const r = await pool.request({ method: 'GET', path: '/api/agent/v1/manifest', headers }); const t = await r.body.text(); return t; };
else if (mode === 'request+signal') send = async () => { const ac = new AbortController(); const tm = setTimeout(() => ac.abort(), 10000); try { const r = await pool.request({ method: 'GET', path: '/api/agent/v1/manifest', headers, signal: ac.signal }); return await r.body.text(); } finally { clearTimeout(tm); } };
else send = () => new Promise((resolve, reject) => {
  const chunks = []; let status; let hdrs; let ctl;
  const tm = setTimeout(() => ctl?.abort(new Error('deadline')), 10000);
  pool.dispatch({ method: 'GET', path: '/api/agent/v1/manifest', headers }, {
    onRequestStart(c) { ctl = c; },
    onResponseStart(c, statusCode, h) { status = statusCode; hdrs = h; },
    onResponseData(c, chunk) { chunks.push(chunk); },
    onResponseEnd() { clearTimeout(tm); resolve(Buffer.concat(chunks).toString('utf8')); },
    onResponseError(c, err) { clearTimeout(tm); reject(err); },
  });
});
for (let i = 0; i < 200; i++) await send();
const u0 = process.cpuUsage(); const t0 = performance.now();
let i = 0; await Promise.all(Array.from({ length: 8 }, async () => { while (i++ < n) await send(); }));
const u = process.cpuUsage(u0);
console.log(mode.padEnd(16), 'cpu/req', ((u.user + u.system) / n).toFixed(0), 'µs  user', (u.user / n).toFixed(0), 'sys', (u.system / n).toFixed(0));
process.exit(0);
