import { useState } from 'preact/hooks';
import type { Purpose } from './purpose';
import { CASE_REFERENCE, LEGAL_BASIS_LABELS, type LegalBasis } from './purpose-rules';

/** Asked once per session, before anything is read. */
export function PurposeForm(props: { onStated: (purpose: Purpose) => void }) {
  const [legalBasis, setLegalBasis] = useState<LegalBasis>('investigation');
  const [caseReference, setCaseReference] = useState('');
  const [invalid, setInvalid] = useState(false);
  const submit = (event: Event) => {
    event.preventDefault();
    const reference = caseReference.trim();
    if (!CASE_REFERENCE.test(reference)) {
      setInvalid(true);
      return;
    }
    props.onStated({ legalBasis, caseReference: reference });
  };
  return (
    <form onSubmit={submit} aria-labelledby="purpose-title" noValidate>
      <h2 id="purpose-title">Why are you reading?</h2>
      <p>
        Every read of a retailer's data states a legal basis and a case reference. They are sent with each request
        and recorded in the retailer's audit trail. You are asked once for this session.
      </p>
      <div class="field">
        <label for="legal-basis">Legal basis</label>
        <select id="legal-basis" value={legalBasis} onChange={(e) => setLegalBasis(e.currentTarget.value as LegalBasis)}>
          {Object.entries(LEGAL_BASIS_LABELS).map(([basis, label]) => (
            <option value={basis} key={basis}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="case-reference">Case reference</label>
        <input
          id="case-reference"
          value={caseReference}
          onInput={(e) => setCaseReference(e.currentTarget.value)}
          required
          maxLength={64}
          autoComplete="off"
          aria-invalid={invalid}
          aria-describedby="case-reference-hint"
        />
        <p id="case-reference-hint" class={invalid ? 'hint error' : 'hint'}>
          1 to 64 characters: letters, digits and / _ . : - (no spaces)
        </p>
      </div>
      <button type="submit">Continue</button>
    </form>
  );
}
