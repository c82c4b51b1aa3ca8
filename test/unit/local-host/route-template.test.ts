import { matchRouteTemplate, parseRouteTemplate, splitPath } from '../../../tools/local-host/http/route-template';

const match = (template: string, path: string) => matchRouteTemplate(parseRouteTemplate(template), splitPath(path));

describe('route templates', () => {
  it('matches literal segments case-insensitively', () => {
    expect(match('items/list', '/Items/LIST')).toEqual({});
    expect(match('items/list', '/items')).toBeUndefined();
    expect(match('items', '/items/list')).toBeUndefined();
  });

  it('binds parameters and decodes segments', () => {
    expect(match('orgs/{org}/items/{id}', '/orgs/acme/items/a%20b')).toEqual({ org: 'acme', id: 'a b' });
    expect(match('items/{id}', '/items/')).toBeUndefined();
    expect(match('items/{id}', '/items//x')).toBeUndefined();
  });

  it('ignores one trailing slash', () => {
    expect(match('items/{id}', '/items/5/')).toEqual({ id: '5' });
  });

  it('binds a catch-all to the rest of the path, including nothing', () => {
    expect(match('files/{*path}', '/files/a/b/c.txt')).toEqual({ path: 'a/b/c.txt' });
    expect(match('files/{*path}', '/files')).toEqual({});
    expect(match('{*all}', '/')).toEqual({});
    expect(match('a/b/{*rest}', '/a')).toBeUndefined();
  });

  it.each([
    ['files/{*path}/more', /catch-all/],
    ['a/{x}/{x}', /appears twice/],
    ['a/{x', /not supported by the local host/],
    ['a/{}', /not supported/],
    ['greet/{name?}', /not supported/],
    ['page/{n=1}', /not supported/],
    ['items/{id:int}', /not supported/],
    ['files/{name}.{ext}', /not supported/],
    ['a//b', /empty segment/],
  ])('refuses %s, which the app does not use, rather than serving it unlike Azure', (template, message) => {
    expect(() => parseRouteTemplate(template)).toThrow(message);
  });
});
