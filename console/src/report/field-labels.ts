import { fieldId } from '../form-field';

/** The report form's fields by the API's path: the element an error links to, and its label as the form shows it. */
const TOP: Record<string, { id?: string; label: string }> = {
  type: { label: 'Type' },
  storeId: { label: 'Store' },
  occurredAt: { label: 'When it happened (your local time)' },
  prevented: { id: 'f-prevented', label: 'It was an attempt, prevented' },
  description: { label: 'What happened' },
  'violence.threatened': { id: 'f-violence-threatened', label: 'Violence threatened' },
  'violence.used': { id: 'f-violence-used', label: 'Violence used' },
  'violence.weapon': { id: 'f-violence-weapon', label: 'Weapon' },
  sensitive: { id: 'f-sensitive', label: 'Sensitive' },
  policeReference: { label: 'Police reference' },
  currency: { label: 'Currency' },
};
const PRODUCT: Record<string, string> = { name: 'Product', sku: 'SKU of product', quantity: 'Quantity of product', unitValue: 'Unit value of product' };
const VEHICLE: Record<string, string> = { plate: 'Plate of vehicle', make: 'Make of vehicle', model: 'Model of vehicle', colour: 'Colour of vehicle' };
/** A person's fields; an error on an item of a list (an alias, a feature) or on a whole range is shown on the field that holds it. */
const PERSON: Record<string, { field: string; label: string }> = {
  role: { field: 'role', label: 'Role' },
  'name.given': { field: 'name.given', label: 'Given name' },
  'name.family': { field: 'name.family', label: 'Family name' },
  'name.aliases': { field: 'name.aliases', label: 'Aliases' },
  dateOfBirth: { field: 'dateOfBirth', label: 'Date of birth' },
  ageRange: { field: 'ageRange.min', label: 'Age from' },
  'ageRange.min': { field: 'ageRange.min', label: 'Age from' },
  'ageRange.max': { field: 'ageRange.max', label: 'Age to' },
  heightCm: { field: 'heightCm', label: 'Height (cm)' },
  build: { field: 'build', label: 'Build' },
  phone: { field: 'phone', label: 'Phone' },
  distinguishingFeatures: { field: 'distinguishingFeatures', label: 'Distinguishing features' },
  clothing: { field: 'clothing', label: 'Clothing' },
};

/** Where an error at `path` ('vehicles.0.plate') is shown: its field's id and label, or undefined when no field of the form holds it. */
export function reportField(path: string): { id: string; label: string } | undefined {
  const top = TOP[path];
  if (top) return { id: top.id ?? fieldId(path), label: top.label };
  const item = /^(products|vehicles)\.(\d+)\.(\w+)$/.exec(path);
  if (item) {
    const label = (item[1] === 'products' ? PRODUCT : VEHICLE)[item[3]!];
    return label ? { id: fieldId(path), label: `${label} ${Number(item[2]) + 1}` } : undefined;
  }
  const person = /^people\.(\d+)\.(.+?)(?:\.\d+)?$/.exec(path);
  const field = person && PERSON[person[2]!];
  if (!person || !field) return undefined;
  return { id: fieldId(`people.${person[1]}.${field.field}`), label: `${field.label} of person ${Number(person[1]) + 1}` };
}
