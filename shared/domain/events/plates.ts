/** Upper case, no spaces, dashes or dots: "abc-123" and "ABC 123" are the same plate. */
export function normalisePlate(plate: string): string {
  return plate.toUpperCase().replace(/[\s\-.·]/g, '');
}

export const PLATE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 \-.·]{0,15}$/;
export const NORMALISED_PLATE_PATTERN = /^[A-Z0-9]{1,12}$/;
