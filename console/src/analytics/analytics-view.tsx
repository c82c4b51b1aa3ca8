import { useState } from 'preact/hooks';
import type { paths } from '../../../clients/ts/src/index';
import { apiFor, problemText } from '../api';
import type { Session } from '../session';
import { useLoad } from '../use-load';
import { ViewHeading } from '../view-heading';
import { AnalyticsFigures } from './analytics-figures';

export type Analytics = paths['/api/v1/analytics']['get']['responses'][200]['content']['application/json'];
type GroupBy = Analytics['groupBy'];

const GROUP_BY_LABELS: Record<GroupBy, string> = { type: 'Type of event', store: 'Store', product: 'Product', hour: 'Hour of day', weekday: 'Day of the week' };

/** A date as the date inputs want it: 2026-12-05. */
const day = (date: Date): string => date.toISOString().slice(0, 10);

/**
 * Analytics (Investigator; PRODUCT §9): events and loss per type, store, product, hour or weekday
 * over a date range, as bar charts each with its data table, and the range's totals.
 */
export function AnalyticsView(props: { session: Session }) {
  const [form, setForm] = useState(() => ({ from: day(new Date(Date.now() - 365 * 86_400_000)), to: day(new Date()), groupBy: 'type' as GroupBy }));
  const [query, setQuery] = useState(form);
  const result = useLoad<Analytics>(async () => {
    const { data, error, response } = await apiFor(props.session.token).GET('/api/v1/analytics', { params: { query } });
    return data ? { value: data } : { message: problemText(error, response) };
  }, [props.session.token, query]);
  return (
    <section aria-labelledby="view-title">
      <ViewHeading>Analytics</ViewHeading>
      <form
        class="row"
        aria-label="What to count"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(form);
        }}
      >
        <div class="field">
          <label for="f-from">From</label>
          <input id="f-from" type="date" value={form.from} onInput={(e) => setForm({ ...form, from: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="f-to">To</label>
          <input id="f-to" type="date" value={form.to} onInput={(e) => setForm({ ...form, to: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="f-groupBy">Count per</label>
          <select id="f-groupBy" value={form.groupBy} onChange={(e) => setForm({ ...form, groupBy: e.currentTarget.value as GroupBy })}>
            {Object.entries(GROUP_BY_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="field actions">
          <button type="submit">Show figures</button>
        </div>
      </form>
      {result.state === 'loading' && <p role="status">Counting…</p>}
      {result.state === 'failed' && <p role="alert">{result.message}</p>}
      {result.state === 'done' && <AnalyticsFigures analytics={result.value} per={GROUP_BY_LABELS[result.value.groupBy].toLowerCase()} />}
    </section>
  );
}
