import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
const { token, ids } = JSON.parse(readFileSync('/tmp/bp/ids.json', 'utf8'));
let i = 0;
const r = await autocannon({ url: 'http://127.0.0.1:3950', connections: 64, duration: 5, headers: { authorization: `Bearer ${token}` }, requests: [{ setupRequest: (req: any) => ({ ...req, path: process.argv[2] === 'bare' ? '/bench/bare' : `/citizens/${ids[i++ % ids.length]}` }) }] });
console.log(process.argv[2], r.requests.average, r.latency.p99, r.non2xx);
