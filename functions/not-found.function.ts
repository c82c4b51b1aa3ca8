import { catchAllRoute } from '../shared/http/route';

/** Catch-all: any path no other function serves answers a problem+json 404, not the host's page. */
catchAllRoute('not-found');
