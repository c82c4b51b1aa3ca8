import { portTaken } from '../../../tools/local/stack-process';

/**
 * A test's stack started on ports found free may find one taken by a stack starting beside it: it
 * is then started again on other ports, whichever way the port was found taken. Six stacks started
 * at once here: one stopped with Node's own message, which was not recognised, and its test failed.
 */
describe('a stack that stopped because a port was taken', () => {
  it("is recognised by the start's own check and by Node's listen error", () => {
    expect(portTaken('Could not start Daybreak: Port 40763 (functions host) is already in use on 127.0.0.1; stop what uses it or set LOCAL_HOST_PORT.')).toBe(true);
    expect(portTaken('Could not start Daybreak: listen EADDRINUSE: address already in use 127.0.0.1:40763')).toBe(true);
  });

  it('is not confused with other failures', () => {
    expect(portTaken('Could not start Daybreak: connect ECONNREFUSED 127.0.0.1:10000')).toBe(false);
    expect(portTaken('The local stack did not become healthy in 45 s')).toBe(false);
  });
});
