import { parseTimerSchedule } from '../../../tools/local-host/triggers/timer-schedule';

const timers: { name: string; options: { schedule: string; handler: unknown } }[] = [];
const queues: { name: string; options: { queueName: string; handler: unknown } }[] = [];
jest.mock('@azure/functions', () => ({
  app: {
    timer: (name: string, options: { schedule: string; handler: unknown }) => timers.push({ name, options }),
    storageQueue: (name: string, options: { queueName: string; handler: unknown }) => queues.push({ name, options }),
  },
}));
jest.mock('../../../shared/matching/model-estimation', () => ({
  MODEL_QUEUE: 'matching-model',
  ModelMessageSchema: jest.requireActual('../../../shared/matching/model-estimation').ModelMessageSchema,
  reestimateModel: jest.fn(),
  reestimateChanged: jest.fn(),
}));

type Handler = (input: unknown, ctx: unknown) => Promise<void>;
const estimation = () => require('../../../shared/matching/model-estimation') as { reestimateModel: jest.Mock; reestimateChanged: jest.Mock }; // eslint-disable-line @typescript-eslint/no-require-imports
const context = () => ({ info: jest.fn(), error: jest.fn(), warn: jest.fn(), invocationId: 'inv-1' });

describe('the matching model functions', () => {
  it('the timer runs daily at 04:10 UTC, after the retention sweep, and re-estimates changed retailers', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { MATCHING_MODEL_SCHEDULE } = require('../../../functions/matching-model-timer.function');
    expect(timers.map((t) => t.name)).toEqual(['matching-model-timer']);
    const next = parseTimerSchedule(MATCHING_MODEL_SCHEDULE).next(new Date(Date.UTC(2026, 0, 1)));
    expect(next.toISOString()).toBe('2026-01-01T04:10:00.000Z');
    estimation().reestimateChanged.mockResolvedValueOnce({ retailers: 3, estimated: 1 });
    const ctx = context();
    await (timers[0]!.options.handler as Handler)({}, ctx);
    expect(ctx.info).toHaveBeenCalledWith(expect.stringContaining('"estimated":1'));
  });

  it('the queue re-estimates the retailer a message names; a malformed message is dropped, logged, and estimates nothing', async () => {
    require('../../../functions/matching-model.function'); // eslint-disable-line @typescript-eslint/no-require-imports
    expect(queues.map((q) => [q.name, q.options.queueName])).toEqual([['matching-model', 'matching-model']]);
    const handler = queues[0]!.options.handler as Handler;
    estimation().reestimateModel.mockResolvedValueOnce({ people: 60, pairs: { candidates: 10, random: 20, labelled: 0 }, iterations: 4 });
    await handler({ retailerId: 'ret-1' }, context());
    expect(estimation().reestimateModel).toHaveBeenCalledWith('ret-1');
    const ctx = context();
    await handler({ retailerId: 'ret-1', extra: true }, ctx);
    await handler('not json', ctx);
    expect(ctx.error).toHaveBeenCalledTimes(2);
    expect(estimation().reestimateModel).toHaveBeenCalledTimes(1);
  });
});
