import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { call } from './support/api';

const ROOT = path.resolve(__dirname, '../..');

describe('npm run demo', () => {
  it('builds a world through the API and prints tokens that work', async () => {
    const port = new URL(process.env.DAYBREAK_BASE_URL!).port;
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'tools/demo.ts'], {
      cwd: ROOT,
      env: { ...process.env, LOCAL_HOST_PORT: port },
    });
    expect(stdout).toMatch(/2 retailers, 2 agencies, 30 events/);
    const token = /export HARBOUR_GROCERS_INVESTIGATOR=(\S+)/.exec(stdout)?.[1];
    expect(token).toBeDefined();
    const events = await call('GET', '/api/v1/events?pageSize=100', { token });
    expect(events.status).toBe(200);
    expect(events.body.items).toHaveLength(15);
    const repeat = events.body.items.filter((e: { people: { profileId: string }[] }) => e.people[0]!.profileId === events.body.items[0].people[0].profileId);
    expect(repeat.length).toBeGreaterThan(1);
    expect(events.body.items.some((e: { violence?: { used: boolean } }) => e.violence?.used)).toBe(true);
  }, 120_000);
});
