import http from 'node:http';
import { startStackProcess } from '../tools/local/stack-process';
import { measure } from './measure';
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
function get(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent }, (res) => { res.resume(); res.on('end', () => resolve()); }).on('error', reject);
  });
}
(async () => {
  const stack = await startStackProcess(undefined, { 'AzureWebJobs.match-event.Disabled': 'true' });
  const base = stack.baseUrl;
  const path = process.env.P ?? '/api/nothing-here';
  await measure(500, 16, () => get(base + path));
  const m = await measure(10000, 16, () => get(base + path));
  console.log(path, Math.round(m.perSecond), 'req/s');
  await stack.stop();
})();
