import type { ComponentChildren } from 'preact';
import type { Analytics } from './analytics-view';
import { BarChart, type Bar } from './bar-chart';

type Group = Analytics['groups'][number];

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** Groups in the order a person reads them: hours and weekdays by the clock, the rest as the API ranks them (largest first). */
function ordered(analytics: Analytics): Group[] {
  const groups = [...analytics.groups];
  if (analytics.groupBy === 'hour') return groups.sort((a, b) => a.key.localeCompare(b.key));
  if (analytics.groupBy === 'weekday') return groups.sort((a, b) => WEEKDAYS.indexOf(a.key) - WEEKDAYS.indexOf(b.key));
  return groups;
}

const label = (analytics: Analytics, key: string): string =>
  analytics.groupBy === 'hour' ? `${key}:00` : analytics.groupBy === 'weekday' || analytics.groupBy === 'type' ? key[0]!.toUpperCase() + key.slice(1).replace(/-/g, ' ') : key;

/** The grouping's column heading, from the caption: 'Events per type of event' → 'Type of event'. */
const columnName = (caption: string): string => {
  const per = caption.split(' per ')[1] ?? '';
  return per.charAt(0).toUpperCase() + per.slice(1);
};

const share = (value: number): string => `${Math.round(value * 100)}%`;
const money = (value: number): string => value.toFixed(2);
const whole = (value: number): string => String(value);

/** The totals, then one chart and table for events and one for loss. */
export function AnalyticsFigures(props: { analytics: Analytics; per: string }) {
  const { analytics, per } = props;
  const groups = ordered(analytics);
  const totals = analytics.totals;
  const currencies = Object.keys(totals.lossValueByCurrency);
  const range = `${analytics.from.slice(0, 10)} to ${analytics.to.slice(0, 10)}`;
  if (totals.events === 0) return <p role="status">No events from {range}.</p>;
  return (
    <>
      <h2>Totals from {range}</h2>
      <dl class="facts">
        <dt>Events</dt>
        <dd>{totals.events}</dd>
        <dt>Loss</dt>
        <dd>
          {money(totals.lossValue)}
          {currencies.length > 0 && ` (${currencies.map((c) => `${money(totals.lossValueByCurrency[c]!)} ${c}`).join(', ')})`}
        </dd>
        <dt>Prevented</dt>
        <dd>{share(totals.preventedShare)}</dd>
        <dt>By repeat offenders</dt>
        <dd>{share(totals.repeatOffenderShare)}</dd>
      </dl>
      <Figure id="chart-events" title={`Events per ${per}`} bars={groups.map((g) => ({ label: label(analytics, g.key), value: g.events }))} format={whole}>
        <FigureTable caption={`Events per ${per}`} analytics={analytics} groups={groups} />
      </Figure>
      <Figure id="chart-loss" title={`Loss per ${per}`} bars={groups.map((g) => ({ label: label(analytics, g.key), value: g.lossValue }))} format={money}>
        <LossTable caption={`Loss per ${per}`} analytics={analytics} groups={groups} />
      </Figure>
    </>
  );
}

function Figure(props: { id: string; title: string; bars: Bar[]; format: (value: number) => string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={`${props.id}-heading`} class="figure">
      <h2 id={`${props.id}-heading`}>{props.title}</h2>
      <div class="chart-pair">
        <BarChart id={props.id} title={props.title} bars={props.bars} format={props.format} />
        {props.children}
      </div>
    </section>
  );
}

function FigureTable(props: { caption: string; analytics: Analytics; groups: Group[] }) {
  return (
    <table>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{columnName(props.caption)}</th>
          <th scope="col">Events</th>
          <th scope="col">Prevented</th>
          <th scope="col">Repeat offenders</th>
          <th scope="col">Violent</th>
        </tr>
      </thead>
      <tbody>
        {props.groups.map((g) => (
          <tr key={g.key}>
            <th scope="row">{label(props.analytics, g.key)}</th>
            <td>{g.events}</td>
            <td>{share(g.preventedShare)}</td>
            <td>{share(g.repeatOffenderShare)}</td>
            <td>{g.violentEvents}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function LossTable(props: { caption: string; analytics: Analytics; groups: Group[] }) {
  return (
    <table>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{columnName(props.caption)}</th>
          <th scope="col">Loss</th>
          <th scope="col">By currency</th>
        </tr>
      </thead>
      <tbody>
        {props.groups.map((g) => (
          <tr key={g.key}>
            <th scope="row">{label(props.analytics, g.key)}</th>
            <td>{money(g.lossValue)}</td>
            <td>
              {Object.entries(g.lossValueByCurrency)
                .map(([c, v]) => `${money(v)} ${c}`)
                .join(', ') || '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
