import { matchRouteTemplate, parseRouteTemplate, splitPath } from '../../../tools/local-host/route-template';

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

  it('supports optional parameters and defaults', () => {
    expect(match('greet/{name?}', '/greet')).toEqual({});
    expect(match('greet/{name?}', '/greet/ada')).toEqual({ name: 'ada' });
    expect(match('page/{n=1}', '/page')).toEqual({ n: '1' });
    expect(match('page/{n:int=1}', '/page/7')).toEqual({ n: '7' });
    expect(match('page/{n:int=1}', '/page/x')).toBeUndefined();
  });

  it.each([
    ['{id:int}', '42', true],
    ['{id:int}', '-7', true],
    ['{id:int}', '4.2', false],
    ['{id:int}', '2147483648', false],
    ['{id:long}', '2147483648', true],
    ['{id:guid}', '0f8fad5b-d9cb-469f-a165-70867728950e', true],
    ['{id:guid}', '{0F8FAD5B-D9CB-469F-A165-70867728950E}', true],
    ['{id:guid}', '0f8fad5bd9cb469fa16570867728950e', true],
    ['{id:guid}', 'not-a-guid', false],
    ['{x:alpha}', 'abcXYZ', true],
    ['{x:alpha}', 'abc1', false],
    ['{x:bool}', 'True', true],
    ['{x:min(10)}', '9', false],
    ['{x:range(1,5)}', '5', true],
    ['{x:maxlength(3)}', 'abcd', false],
    ['{x:regex(^[a-z]{{2}}-\\d+$)}', 'ab-12', true],
    ['{x:regex(^[a-z]{{2}}-\\d+$)}', 'abc-12', false],
    ['{x:int:min(3)}', '2', false],
    ['{x:somethingunknown}', 'anything', true],
  ])('constraint %s on %s → %s', (param, value, expected) => {
    expect(match(`c/${param}`, `/c/${value}`) !== undefined).toBe(expected);
  });

  it('binds a catch-all to the rest of the path, including nothing', () => {
    expect(match('files/{*path}', '/files/a/b/c.txt')).toEqual({ path: 'a/b/c.txt' });
    expect(match('files/{*path}', '/files')).toEqual({});
    expect(match('{*all}', '/')).toEqual({});
  });

  it('supports complex segments', () => {
    expect(match('files/{name}.{ext}', '/files/report.final.pdf')).toEqual({ name: 'report.final', ext: 'pdf' });
    expect(match('files/{name}.{ext?}', '/files/readme')).toEqual({ name: 'readme' });
    expect(match('v{version:int}/items', '/v2/items')).toEqual({ version: '2' });
    expect(match('v{version:int}/items', '/vx/items')).toBeUndefined();
  });

  it('treats escaped braces as literals', () => {
    expect(match('a{{b}}', '/a{b}')).toEqual({});
  });

  it.each([
    ['files/{*path}/more', /catch-all/],
    ['a/{b?}/c', /optional segment/],
    ['a/{x}/{x}', /appears twice/],
    ['a/{x}{y}', /literal between/],
    ['a/{x', /unterminated/],
    ['a/{}', /invalid parameter name/],
  ])('rejects %s', (template, message) => {
    expect(() => parseRouteTemplate(template)).toThrow(message);
  });
});
