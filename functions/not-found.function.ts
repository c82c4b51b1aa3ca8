import { app } from '@azure/functions';
import { NotFoundError } from '../shared/domain/errors';
import { problemResponse } from '../shared/http/problem';
import { requestIdFrom } from '../shared/http/request-id';
import { requestLogger } from '../shared/http/logger';

/** Catch-all: any path no other function serves answers a problem+json 404, not the host's page. */
app.http('not-found', {
  route: '{*path}',
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
  authLevel: 'anonymous',
  handler: async (request, context) => {
    const requestId = requestIdFrom(request.headers.get('x-request-id'));
    return problemResponse(new NotFoundError('No such route.'), requestId, requestLogger(context, requestId));
  },
});
