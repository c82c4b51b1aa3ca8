import { parseConfig } from '../../../console/src/config';

/** /console-config.json decides how the console signs in and where the API is (console/src/config.ts). */
describe('console: reading /console-config.json', () => {
  const PAGE = 'http://127.0.0.1:7071';
  const entra = { authority: 'https://login.microsoftonline.com/00000000-0000-0000-0000-00000000000b', clientId: 'c1', apiScope: 'api://a1/access_as_user' };

  it('the local host’s document: its development sign-in page, the API on this origin', () => {
    expect(parseConfig({ signInUrl: '/dev/sign-in' }, PAGE)).toEqual({ signIn: { kind: 'page', url: '/dev/sign-in' }, apiBaseUrl: PAGE });
  });

  it('an Azure build’s document: Entra ID, and the API on the Function App’s origin', () => {
    expect(parseConfig({ apiBaseUrl: 'https://func-api-x.azurewebsites.net/', entra }, 'https://stapp.azurestaticapps.net')).toEqual({
      signIn: { kind: 'entra', ...entra },
      apiBaseUrl: 'https://func-api-x.azurewebsites.net',
    });
  });

  it('takes a tenant id for the public cloud’s authority, and trims a trailing slash from one named', () => {
    const { signIn } = parseConfig({ entra: { tenantId: 'contoso.onmicrosoft.com', clientId: 'c1', apiScope: 's' } }, PAGE);
    expect(signIn).toEqual({ kind: 'entra', authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com', clientId: 'c1', apiScope: 's' });
    expect(parseConfig({ entra: { ...entra, authority: `${entra.authority}/` } }, PAGE).signIn).toMatchObject({ authority: entra.authority });
  });

  it('prefers Entra ID when a document names both (an Azure build never names a page)', () => {
    expect(parseConfig({ signInUrl: '/dev/sign-in', entra }, PAGE).signIn?.kind).toBe('entra');
  });

  it.each([
    ['no authority or tenant', { clientId: 'c1', apiScope: 's' }],
    ['an http authority', { ...entra, authority: 'http://login.microsoftonline.com/t' }],
    ['a tenant id with a slash', { tenantId: 't/../x', clientId: 'c1', apiScope: 's' }],
    ['no client id', { ...entra, clientId: ' ' }],
    ['no scope', { ...entra, apiScope: undefined }],
    ['not an object', 'entra'],
  ])('offers no Entra sign-in with %s (and falls back to a page only if one is named)', (_, value) => {
    expect(parseConfig({ entra: value }, PAGE)).toEqual({ apiBaseUrl: PAGE });
    expect(parseConfig({ entra: value, signInUrl: '/dev/sign-in' }, PAGE).signIn).toEqual({ kind: 'page', url: '/dev/sign-in' });
  });

  it.each(['//evil.example/sign-in', 'https://evil.example/', '/\\evil.example', 'dev/sign-in', 42])('refuses %j as a sign-in page', (signInUrl) => {
    expect(parseConfig({ signInUrl }, PAGE)).toEqual({ apiBaseUrl: PAGE });
  });

  it.each(['http://func.example', 'https://func.example/api', 'https://func.example/?x=1', 'not a url', 7])('keeps the API on this origin for apiBaseUrl %j', (apiBaseUrl) => {
    expect(parseConfig({ apiBaseUrl, entra }, PAGE).apiBaseUrl).toBe(PAGE);
  });

  it.each([undefined, null, [], 'x', {}])('offers no sign-in for a document %j', (body) => {
    expect(parseConfig(body, PAGE)).toEqual({ apiBaseUrl: PAGE });
  });
});
