import { NotHealthyError, startStackProcess } from '../../tools/local/stack-process';

describe('A test or benchmark stack that never answers health', () => {
  it('is stopped and started once more, then fails with health’s last answer and its log’s tail, nothing left running', async () => {
    const said: string[] = [];
    // 200 ms: less than node takes to load the host, so health cannot have answered.
    const failed = await startStackProcess(200, {}, { onRestart: (m) => said.push(m) }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(NotHealthyError);
    expect((failed as Error).message).toMatch(/did not become healthy in 0\.\d+ s \(health's last answer: .+\); .*stack\.log ends:\n/);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/did not become healthy[\s\S]*Starting it again on other ports/);
    // Both starts were stopped: the last one's process is gone (the first one's was, before it was said).
    const pid = (failed as NotHealthyError).pid!;
    expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });
});
