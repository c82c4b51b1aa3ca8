import { FieldError, fieldId, TextField } from '../form-field';
import { emptyPerson, type FieldErrors, type PersonDraft } from './report-rules';

/** The people in the event, each a profile on record (attached from the lookup) or a new one the service starts. */
export function PeopleFields(props: { people: PersonDraft[]; onPeople: (people: PersonDraft[]) => void; errors: FieldErrors; builds: readonly string[] }) {
  const { people, errors } = props;
  return (
    <fieldset>
      <legend>People</legend>
      {people.map((person, i) => {
        const at = `people.${i}`;
        const set = (key: keyof PersonDraft) => (value: string) => props.onPeople(people.map((p, j) => (j === i ? { ...p, [key]: value } : p)));
        return (
          <fieldset class="item" key={i}>
            <legend>Person {i + 1}</legend>
            {person.profileId && (
              <p class="purpose">
                Attached to a person on record (profile <code>{person.profileId.slice(0, 8)}</code>): this event joins their history.{' '}
                <button type="button" class="link" onClick={() => set('profileId')('')}>
                  Detach
                </button>
              </p>
            )}
            <FieldError id={fieldId(`${at}.profileId`)} error={errors[`${at}.profileId`]} />
            <div class="row">
              <div class="field">
                <label for={fieldId(`${at}.role`)}>Role</label>
                <select id={fieldId(`${at}.role`)} value={person.role} onChange={(e) => set('role')(e.currentTarget.value)}>
                  <option value="offender">Offender</option>
                  <option value="accomplice">Accomplice</option>
                </select>
              </div>
              <TextField path={`${at}.name.given`} label="Given name" value={person.given} onValue={set('given')} error={errors[`${at}.name.given`]} autoComplete="off" />
              <TextField path={`${at}.name.family`} label="Family name" value={person.family} onValue={set('family')} error={errors[`${at}.name.family`]} autoComplete="off" />
              <TextField path={`${at}.name.aliases`} label="Aliases" hint="Separated by commas" value={person.aliases} onValue={set('aliases')} error={errors[`${at}.name.aliases`] ?? firstUnder(errors, `${at}.name.aliases.`)} autoComplete="off" />
            </div>
            <div class="row">
              <TextField path={`${at}.dateOfBirth`} label="Date of birth" type="date" value={person.dateOfBirth} onValue={set('dateOfBirth')} error={errors[`${at}.dateOfBirth`]} />
              <TextField path={`${at}.ageRange.min`} label="Age from" type="number" min={0} max={120} size={4} value={person.ageMin} onValue={set('ageMin')} error={errors[`${at}.ageRange.min`] ?? errors[`${at}.ageRange`]} />
              <TextField path={`${at}.ageRange.max`} label="Age to" type="number" min={0} max={120} size={4} value={person.ageMax} onValue={set('ageMax')} error={errors[`${at}.ageRange.max`]} />
              <TextField path={`${at}.heightCm`} label="Height (cm)" type="number" min={50} max={250} size={4} value={person.heightCm} onValue={set('heightCm')} error={errors[`${at}.heightCm`]} />
              <div class="field">
                <label for={fieldId(`${at}.build`)}>Build</label>
                <select id={fieldId(`${at}.build`)} value={person.build} onChange={(e) => set('build')(e.currentTarget.value)}>
                  <option value="">Not noted</option>
                  {props.builds.map((build) => (
                    <option key={build} value={build}>
                      {build[0]!.toUpperCase() + build.slice(1)}
                    </option>
                  ))}
                </select>
              </div>
              <TextField path={`${at}.phone`} label="Phone" type="tel" value={person.phone} onValue={set('phone')} error={errors[`${at}.phone`]} autoComplete="off" />
            </div>
            <TextField
              path={`${at}.distinguishingFeatures`}
              label="Distinguishing features"
              hint="One a line: tattoos, scars, a limp"
              multiline
              value={person.features}
              onValue={set('features')}
              error={errors[`${at}.distinguishingFeatures`] ?? firstUnder(errors, `${at}.distinguishingFeatures.`)}
            />
            <TextField path={`${at}.clothing`} label="Clothing" value={person.clothing} onValue={set('clothing')} error={errors[`${at}.clothing`]} />
            <button type="button" class="secondary" onClick={() => props.onPeople(people.filter((_, j) => j !== i))}>
              Remove person {i + 1}
            </button>
          </fieldset>
        );
      })}
      <button type="button" class="secondary" onClick={() => props.onPeople([...people, emptyPerson()])}>
        Add a person
      </button>
    </fieldset>
  );
}

/** The first error under a list's path (the API names the item: 'people.0.distinguishingFeatures.1'). */
const firstUnder = (errors: FieldErrors, prefix: string): string | undefined => Object.entries(errors).find(([path]) => path.startsWith(prefix))?.[1];
