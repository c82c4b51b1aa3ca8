import { useState } from 'preact/hooks';
import type { Session } from '../session';
import { ViewHeading } from '../view-heading';
import { PurposeForm } from './purpose-form';
import { statePurpose, statedPurpose, type Purpose } from './purpose';
import { SharedEvent } from './shared-event';
import { SharedEvents } from './shared-events';

/** The police view (PoliceOfficer): events shared with the officer's agency, each read with a stated purpose. */
export function PoliceView(props: { session: Session; eventId?: string }) {
  const [purpose, setPurpose] = useState<Purpose | undefined>(statedPurpose);
  const stated = (next: Purpose | undefined) => {
    statePurpose(next);
    setPurpose(next);
  };
  return (
    <section aria-labelledby="view-title">
      <ViewHeading>{props.eventId ? 'Shared event' : 'Events shared with your agency'}</ViewHeading>
      {purpose ? (
        <>
          <p class="purpose">
            Reading under <strong>{purpose.legalBasis}</strong> for case <strong>{purpose.caseReference}</strong>.{' '}
            <button type="button" class="link" onClick={() => stated(undefined)}>
              Change
            </button>
          </p>
          {props.eventId ? (
            <SharedEvent session={props.session} purpose={purpose} id={props.eventId} />
          ) : (
            <SharedEvents session={props.session} purpose={purpose} />
          )}
        </>
      ) : (
        <PurposeForm onStated={stated} />
      )}
    </section>
  );
}
