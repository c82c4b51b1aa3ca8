import type { Session } from '../session';
import { ViewHeading } from '../view-heading';
import { AuditExport } from './audit-export';
import { AuditVerify } from './audit-verify';
import { CustodyLookup } from './custody-lookup';

/** The compliance view (Compliance): the retailer's audit chain, verified and exported, and an evidence item's chain of custody. */
export function ComplianceView(props: { session: Session }) {
  return (
    <section aria-labelledby="view-title">
      <ViewHeading>Audit</ViewHeading>
      <p>
        Every read, write, download and decision on your organisation's data is an entry in a hash-linked chain.
        Verify it here, or download it to keep or to check offline with <code>npm run audit:verify</code>.
      </p>
      <AuditVerify session={props.session} />
      <AuditExport session={props.session} />
      <CustodyLookup />
    </section>
  );
}
