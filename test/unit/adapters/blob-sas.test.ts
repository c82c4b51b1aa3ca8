import { accountKeyOf } from '../../../shared/adapters/blob-sas';

/** Which signer a storage setting selects: account key (service SAS) or, without one, user delegation. */
describe('accountKeyOf', () => {
  it('reads the account name and key of a connection string, in any order and case', () => {
    expect(accountKeyOf('DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=abc==;BlobEndpoint=http://127.0.0.1:1/x;')).toEqual({
      accountName: 'devstoreaccount1',
      accountKey: 'abc==',
    });
    expect(accountKeyOf('accountkey=k/+=;ACCOUNTNAME=acct')).toEqual({ accountName: 'acct', accountKey: 'k/+=' });
  });
  it('knows the development storage shorthand', () => {
    expect(accountKeyOf('UseDevelopmentStorage=true')?.accountName).toBe('devstoreaccount1');
  });
  it('finds no key in a SAS connection string or in identity-based settings', () => {
    expect(accountKeyOf('BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=sv=2024&sig=x')).toBeUndefined();
    expect(accountKeyOf(undefined)).toBeUndefined();
  });
});
