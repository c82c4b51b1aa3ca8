import { startStackProcess } from '../../tools/local/stack-process';

describe('A test or benchmark stack that never answers health', () => {
  it('is stopped and started once more, then fails with health’s last answer and its log’s tail', async () => {
    const said: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      said.push(String(chunk));
      return true;
    });
    try {
      // 200 ms: less than node takes to load the host, so health cannot have answered.
      await expect(startStackProcess(200)).rejects.toThrow(/did not become healthy in 0\.2 s \(health's last answer: .+\); .*stack\.log ends:\n/);
    } finally {
      write.mockRestore();
    }
    expect(said.filter((s) => s.includes('Starting it again on other ports'))).toHaveLength(1);
  });
});
