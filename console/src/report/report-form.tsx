import type { components } from '../../../clients/ts/src/index';
import { formatTime, typeName } from '../events/event-text';
import { FieldError, fieldId, TextField } from '../form-field';
import { reportField } from './field-labels';
import { PeopleFields } from './people-fields';
import { BUILDS, EVENT_TYPES, WEAPONS, emptyProduct, emptyVehicle, type EventType, type FieldErrors, type ReportDraft } from './report-rules';

type Store = components['schemas']['Store'];

/**
 * The event's structured fields (PRODUCT §2), each with the error the console's check or the API
 * found for it beneath; a summary above lists them all, linked to their fields, when a send fails.
 */
export function ReportForm(props: {
  draft: ReportDraft;
  onDraft: (draft: ReportDraft) => void;
  stores: Store[] | undefined;
  files: File[];
  onFiles: (files: File[]) => void;
  errors: FieldErrors;
  summary: string | undefined;
  busy: boolean;
  onSubmit: () => void;
}) {
  const { draft, errors } = props;
  const set = <K extends keyof ReportDraft>(key: K) => (value: ReportDraft[K]) => props.onDraft({ ...draft, [key]: value });
  const submit = (event: Event) => {
    event.preventDefault();
    props.onSubmit();
  };
  const listed = Object.entries(errors);
  return (
    <form onSubmit={submit} aria-labelledby="report-title" noValidate>
      <h2 id="report-title">The event</h2>
      {props.summary && (
        <div role="alert" class="panel error-summary">
          <p class="bad">{props.summary}</p>
          {listed.length > 0 && (
            <ul>
              {listed.map(([path, message]) => {
                const field = reportField(path);
                return (
                  <li key={path}>
                    {field ? (
                      <>
                        <a href={`#${field.id}`}>{field.label}</a>: {message}
                      </>
                    ) : (
                      message
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      )}

      <fieldset>
        <legend>What happened, where and when</legend>
        <div class="row">
          <div class="field">
            <label for={fieldId('type')}>Type</label>
            <select id={fieldId('type')} value={draft.type} onChange={(e) => set('type')(e.currentTarget.value as EventType)}>
              {Object.keys(EVENT_TYPES).map((type) => (
                <option key={type} value={type}>
                  {typeName(type)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for={fieldId('storeId')}>Store</label>
            {props.stores?.length ? (
              <select
                id={fieldId('storeId')}
                value={draft.storeId}
                onChange={(e) => set('storeId')(e.currentTarget.value)}
                aria-invalid={errors.storeId ? true : undefined}
                aria-describedby={errors.storeId ? `${fieldId('storeId')}-error` : undefined}
              >
                <option value="">Choose a store</option>
                {props.stores.map((store) => (
                  <option key={store.id} value={store.id}>
                    {store.name} ({store.id})
                  </option>
                ))}
              </select>
            ) : (
              <input id={fieldId('storeId')} value={draft.storeId} onInput={(e) => set('storeId')(e.currentTarget.value)} aria-invalid={errors.storeId ? true : undefined} />
            )}
            <FieldError id={fieldId('storeId')} error={errors.storeId} />
          </div>
          <TextField
            path="occurredAt"
            label="When it happened (your local time)"
            type="datetime-local"
            value={draft.occurredAt}
            onValue={set('occurredAt')}
            error={errors.occurredAt}
            hint={utcHint(draft.occurredAt)}
          />
        </div>
        <Check id="f-prevented" label="It was an attempt, prevented" checked={draft.prevented} onChange={set('prevented')} />
        <TextField
          path="description"
          label="What happened"
          multiline
          value={draft.description}
          onValue={set('description')}
          error={errors.description}
          hint="Describe what the person did, not who they are: no ethnicity, religion, health or similar (the service refuses them)."
        />
        <div class="row">
          <Check id="f-violence-threatened" label="Violence threatened" checked={draft.threatened} onChange={set('threatened')} />
          <Check id="f-violence-used" label="Violence used" checked={draft.used} onChange={set('used')} />
          <div class="field">
            <label for="f-violence-weapon">Weapon</label>
            <select id="f-violence-weapon" value={draft.weapon} onChange={(e) => set('weapon')(e.currentTarget.value as ReportDraft['weapon'])}>
              {WEAPONS.map((weapon) => (
                <option key={weapon} value={weapon}>
                  {weapon === 'none' ? 'None' : typeName(weapon)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <Check id="f-sensitive" label="Sensitive (for example a minor was involved): only investigators see it, never shared with other retailers" checked={draft.sensitive} onChange={set('sensitive')} />
        <TextField path="policeReference" label="Police reference (optional)" value={draft.policeReference} onValue={set('policeReference')} error={errors.policeReference} autoComplete="off" />
      </fieldset>

      <fieldset>
        <legend>Products taken</legend>
        {draft.products.map((product, i) => {
          const setProduct = (key: keyof typeof product) => (value: string) => set('products')(draft.products.map((p, j) => (j === i ? { ...p, [key]: value } : p)));
          return (
            <div class="row item" key={i}>
              <TextField path={`products.${i}.name`} label={`Product ${i + 1}`} value={product.name} onValue={setProduct('name')} error={errors[`products.${i}.name`]} />
              <TextField path={`products.${i}.sku`} label="SKU (optional)" value={product.sku} onValue={setProduct('sku')} error={errors[`products.${i}.sku`]} size={10} />
              <TextField path={`products.${i}.quantity`} label="Quantity" type="number" min={1} value={product.quantity} onValue={setProduct('quantity')} error={errors[`products.${i}.quantity`]} size={5} />
              <TextField path={`products.${i}.unitValue`} label="Unit value" type="number" min={0} step="0.0001" value={product.unitValue} onValue={setProduct('unitValue')} error={errors[`products.${i}.unitValue`]} size={8} />
              <div class="field actions">
                <button type="button" class="secondary" onClick={() => set('products')(draft.products.filter((_, j) => j !== i))}>
                  Remove <span class="visually-hidden">product {i + 1}</span>
                </button>
              </div>
            </div>
          );
        })}
        {draft.products.length > 0 && (
          <TextField path="currency" label="Currency" value={draft.currency} onValue={set('currency')} error={errors.currency} size={4} maxLength={3} autoComplete="off" />
        )}
        <button type="button" class="secondary" onClick={() => set('products')([...draft.products, emptyProduct()])}>
          Add a product
        </button>
      </fieldset>

      <PeopleFields people={draft.people} onPeople={set('people')} errors={errors} builds={BUILDS} />

      <fieldset>
        <legend>Vehicles</legend>
        {draft.vehicles.map((vehicle, i) => {
          const setVehicle = (key: keyof typeof vehicle) => (value: string) => set('vehicles')(draft.vehicles.map((v, j) => (j === i ? { ...v, [key]: value } : v)));
          return (
            <div class="row item" key={i}>
              <TextField path={`vehicles.${i}.plate`} label={`Plate of vehicle ${i + 1}`} value={vehicle.plate} onValue={setVehicle('plate')} error={errors[`vehicles.${i}.plate`]} autoComplete="off" size={10} />
              <TextField path={`vehicles.${i}.make`} label="Make" value={vehicle.make} onValue={setVehicle('make')} error={errors[`vehicles.${i}.make`]} size={12} />
              <TextField path={`vehicles.${i}.model`} label="Model" value={vehicle.model} onValue={setVehicle('model')} error={errors[`vehicles.${i}.model`]} size={12} />
              <TextField path={`vehicles.${i}.colour`} label="Colour" value={vehicle.colour} onValue={setVehicle('colour')} error={errors[`vehicles.${i}.colour`]} size={10} />
              <div class="field actions">
                <button type="button" class="secondary" onClick={() => set('vehicles')(draft.vehicles.filter((_, j) => j !== i))}>
                  Remove <span class="visually-hidden">vehicle {i + 1}</span>
                </button>
              </div>
            </div>
          );
        })}
        <button type="button" class="secondary" onClick={() => set('vehicles')([...draft.vehicles, emptyVehicle()])}>
          Add a vehicle
        </button>
      </fieldset>

      <fieldset>
        <legend>Evidence</legend>
        <div class="field">
          <label for="f-evidence">CCTV stills, video or a witness statement (optional)</label>
          <input id="f-evidence" type="file" multiple accept="image/jpeg,image/png,image/webp,image/heic,video/mp4,video/quicktime,application/pdf,text/plain" onChange={(e) => props.onFiles([...(e.currentTarget.files ?? [])])} aria-describedby="f-evidence-hint" />
          <p id="f-evidence-hint" class="hint">
            Uploaded once the event is reported; the service keeps the bytes unchanged and records their SHA-256.
          </p>
        </div>
      </fieldset>

      <button type="submit" disabled={props.busy}>
        Report the event
      </button>
    </form>
  );
}

function Check(props: { id: string; label: string; checked: boolean; onChange: (checked: boolean) => void }) {
  return (
    <div class="field check">
      <input id={props.id} type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.currentTarget.checked)} />
      <label for={props.id}>{props.label}</label>
    </div>
  );
}

/** The time typed, as the confirmation will show it (UTC), so the two can be matched up. */
function utcHint(local: string): string {
  const at = local ? new Date(local) : undefined;
  return at && !Number.isNaN(at.getTime()) ? `Recorded as ${formatTime(at.toISOString())}.` : 'Recorded, and shown once reported, in UTC.';
}
