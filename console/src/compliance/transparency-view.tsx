import { useState } from 'preact/hooks';
import type { paths } from '../../../clients/ts/src/index';
import { apiFor, problemText } from '../api';
import { LEGAL_BASIS_LABELS } from '../police/purpose-rules';
import type { Session } from '../session';
import { useLoad } from '../use-load';
import { ViewHeading } from '../view-heading';

type Transparency = paths['/api/v1/transparency']['get']['responses'][200]['content']['application/json'];

/** A month as the month inputs want it: 2026-12. */
const month = (date: Date): string => date.toISOString().slice(0, 7);

/**
 * Police requests about the retailer's data (RetailerAdmin, Compliance; PRODUCT §5b): per month,
 * agency and legal basis, the lists, reads, downloads and vehicle enquiries, and how many distinct
 * cases they were for. The API's default range is the last twelve months; the form starts there.
 */
export function TransparencyView(props: { session: Session }) {
  const [form, setForm] = useState(() => ({ from: month(new Date(Date.now() - 334 * 86_400_000)), to: month(new Date()) }));
  const [query, setQuery] = useState(form);
  const report = useLoad<Transparency>(async () => {
    const { data, error, response } = await apiFor(props.session.token).GET('/api/v1/transparency', { params: { query } });
    return data ? { value: data } : { message: problemText(error, response) };
  }, [props.session.token, query]);
  return (
    <section aria-labelledby="view-title">
      <ViewHeading>Police requests</ViewHeading>
      <p>Every police list, read, download and vehicle enquiry of your data states a legal basis and a case; these are the counts.</p>
      <form
        class="row"
        aria-label="Which months"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(form);
        }}
      >
        <div class="field">
          <label for="f-from">From month</label>
          <input id="f-from" type="month" value={form.from} onInput={(e) => setForm({ ...form, from: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="f-to">To month</label>
          <input id="f-to" type="month" value={form.to} onInput={(e) => setForm({ ...form, to: e.currentTarget.value })} />
        </div>
        <div class="field actions">
          <button type="submit">Show requests</button>
        </div>
      </form>
      {report.state === 'loading' && <p role="status">Loading the report…</p>}
      {report.state === 'failed' && <p role="alert">{report.message}</p>}
      {report.state === 'done' && report.value.items.length === 0 && (
        <p role="status">
          No police requests from {report.value.from} to {report.value.to}.
        </p>
      )}
      {report.state === 'done' && report.value.items.length > 0 && (
        <table>
          <caption>
            Police requests from {report.value.from} to {report.value.to}, per month, agency and legal basis
          </caption>
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col">Agency</th>
              <th scope="col">Legal basis</th>
              <th scope="col">Lists</th>
              <th scope="col">Reads</th>
              <th scope="col">Downloads</th>
              <th scope="col">Vehicle enquiries</th>
              <th scope="col">Cases</th>
            </tr>
          </thead>
          <tbody>
            {report.value.items.map((row) => (
              <tr key={`${row.month}-${row.agencyId}-${row.legalBasis}`}>
                <td>{row.month}</td>
                <td>{row.agencyName ?? row.agencyId}</td>
                <td>{LEGAL_BASIS_LABELS[row.legalBasis]}</td>
                <td>{row.lists}</td>
                <td>{row.reads}</td>
                <td>{row.downloads}</td>
                <td>{row.vehicleEnquiries}</td>
                <td>{row.caseReferences}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
