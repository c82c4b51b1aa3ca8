import { createServer, type AddressInfo } from 'node:net';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { call } from './support/api';

const ROOT = path.resolve(__dirname, '../..');

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

describe('npm run demo', () => {
  it('builds a world through the API and prints tokens that work', async () => {
    const port = new URL(process.env.DAYBREAK_BASE_URL!).port;
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'tools/demo.ts'], {
      cwd: ROOT,
      env: { ...process.env, LOCAL_HOST_PORT: port, DEMO_WEBHOOK_PORT: String(await freePort()) },
    });
    expect(stdout).toMatch(/2 retailers, 2 agencies, 32 events/);
    const token = /export HARBOUR_GROCERS_INVESTIGATOR=(\S+)/.exec(stdout)?.[1];
    expect(token).toBeDefined();
    const events = await call('GET', '/api/v1/events?pageSize=100', { token });
    expect(events.status).toBe(200);
    expect(events.body.items).toHaveLength(18); // 15, the threat reported for the alerts demo, and one person's two reports for the link review
    // Repeat offenders: some person is in several events.
    const offenders = events.body.items.map((e: { people: { profileId: string }[] }) => e.people[0]!.profileId);
    expect(Math.max(...offenders.map((p: string) => offenders.filter((q: string) => q === p).length))).toBeGreaterThan(1);
    expect(events.body.items.some((e: { violence?: { used: boolean } }) => e.violence?.used)).toBe(true);
    // The agencies are approved, and an officer's read states why, as the printed curl does.
    const officer = /export AUCKLAND_POLICE_OFFICER=(\S+)/.exec(stdout)?.[1];
    const why = /-H '(x-legal-basis): (\S+)' -H '(x-case-reference): (\S+)'/.exec(stdout);
    expect(why).not.toBeNull();
    const police = await call('GET', '/api/v1/events?pageSize=100', { token: officer, headers: { [why![1]!]: why![2]!, [why![3]!]: why![4]! } });
    expect(police.status).toBe(200);
    expect(police.body.items.length).toBeGreaterThan(0);
    expect((await call('GET', '/api/v1/events', { token: officer })).body.code).toBe('PURPOSE_REQUIRED');
    // The investigator's link review holds the suggestion the demo printed.
    expect(stdout).toMatch(/Link review: Tamati and Tam Wharerau, (over )?\d+% likely one person/);
    expect((await call('GET', '/api/v1/links?status=pending', { token })).body.items.length).toBeGreaterThan(0);
    // The demo's receiver got the alert for the threat it reported, signature checked.
    expect(stdout).toMatch(/✔ signature verified · daybreak\.event\.reported · event [0-9a-f-]{36}/);
  }, 120_000);
});
