import { apiFor, problemText } from '../api';
import type { LinkSuggestion } from '../profiles/profile-text';
import type { Session } from '../session';

const STATUSES = ['pending', 'accepted', 'rejected'] as const;
const PAGES = 10;

/**
 * One suggestion by id. The API has no GET /api/v1/links/{id}, so the listing is paged through
 * (pending first, where a review starts), at most PAGES pages of 100 a status: enough for a queue
 * a person works through, not for a retailer's whole history.
 */
export async function findLink(session: Session, id: string): Promise<{ value: LinkSuggestion } | { message: string }> {
  const api = apiFor(session.token);
  for (const status of STATUSES) {
    let continuationToken: string | undefined;
    for (let page = 0; page < PAGES; page++) {
      const { data, error, response } = await api.GET('/api/v1/links', { params: { query: { status, pageSize: 100, ...(continuationToken ? { continuationToken } : {}) } } });
      if (!data) return { message: problemText(error, response) };
      const found = data.items.find((link) => link.id === id);
      if (found) return { value: found };
      if (!data.continuationToken) break;
      continuationToken = data.continuationToken;
    }
  }
  return { message: 'No such suggestion among your recent ones.' };
}
