import { useState } from 'preact/hooks';
import { CASE_REFERENCE, LEGAL_BASES, type LegalBasis, type Purpose } from './purpose';

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
          {LEGAL_BASES.map((basis) => (
            <option value={basis} key={basis}>
              {basis[0]!.toUpperCase() + basis.slice(1)}
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
          1 to 64 characters: letters, digits, spaces and / _ . : -
        </p>
      </div>
      <button type="submit">Continue</button>
    </form>
  );
}
