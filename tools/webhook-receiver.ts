/**
 * A small local webhook receiver for newcomers: prints each alert that arrives and whether its
 * Standard Webhooks signature checks out. `npm run demo` starts one for its own subscription;
 * `npm run -s webhooks:listen` starts one on its own, with the secret the demo saved
 * (.daybreak/demo-webhook.json), to keep watching. Listens on 127.0.0.1 only.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';

export interface Alert {
  verified: boolean;
  type: string;
  subject: string | undefined;
  data: Record<string, unknown>;
}

export function startReceiver(port: number, secret: string, onAlert: (alert: Alert) => void): Promise<Server> {
  const verifier = new Webhook(secret);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified = true;
      let payload: { type?: string; subject?: string; data?: Record<string, unknown> };
      try {
        payload = verifier.verify(body, req.headers as Record<string, string>) as typeof payload;
      } catch {
        verified = false;
        payload = JSON.parse(body || '{}') as typeof payload;
      }
      res.statusCode = verified ? 204 : 401;
      res.end();
      onAlert({ verified, type: payload.type ?? '?', subject: payload.subject, data: payload.data ?? {} });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

export const describeAlert = (a: Alert): string =>
  `${a.verified ? '✔ signature verified' : '✘ BAD SIGNATURE'} · ${a.type} · event ${a.subject ?? '(digest)'} · ${JSON.stringify(a.data)}`;

export const DEMO_WEBHOOK_FILE = '.daybreak/demo-webhook.json';

if (require.main === module) {
  const saved = JSON.parse(readFileSync(path.resolve(DEMO_WEBHOOK_FILE), 'utf8')) as { port: number; secret: string };
  void startReceiver(saved.port, saved.secret, (a) => console.log(describeAlert(a))).then(() =>
    console.log(`Listening for Daybreak alerts on http://127.0.0.1:${saved.port}/ (Ctrl-C to stop)`),
  );
}
