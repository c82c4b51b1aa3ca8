import { PublicClientApplication, type AccountInfo } from '@azure/msal-browser';
import type { EntraSignIn } from './config';
import { freshToken, setTokenSource } from './session';

/**
 * Sign-in with Entra ID in an Azure build: MSAL's authorization code flow with PKCE, by redirect (no
 * pop-up to be blocked), its cache in sessionStorage (gone with the tab, like the token). Loaded with
 * a dynamic import only when /console-config.json names Entra, so the local first load carries none of it.
 */
export interface EntraSession {
  /** Leaves for Entra ID's sign-in page; back at this origin's / and then, by MSAL, at the path it left from. */
  signIn(): Promise<void>;
  /** Ends the Entra ID session too (a shared till or desk must not sign the next person in silently). */
  signOut(): Promise<void>;
}

export async function startEntra(settings: EntraSignIn): Promise<EntraSession> {
  const msal = new PublicClientApplication({
    auth: {
      clientId: settings.clientId,
      authority: settings.authority,
      // The SPA redirect URI registered for the console (docs/entra.md).
      redirectUri: `${location.origin}/`,
      postLogoutRedirectUri: `${location.origin}/`,
      navigateToLoginRequestUrl: true,
    },
    cache: { cacheLocation: 'sessionStorage' },
  });
  await msal.initialize();
  // Back from Entra ID: the code is redeemed (with the PKCE verifier) for the API's access token.
  const result = await msal.handleRedirectPromise();
  if (result?.account) msal.setActiveAccount(result.account);
  const account = (): AccountInfo | undefined => msal.getActiveAccount() ?? msal.getAllAccounts()[0];
  const scopes = [settings.apiScope];

  setTokenSource(async () => {
    const signedIn = account();
    if (!signedIn) return undefined;
    try {
      return (await msal.acquireTokenSilent({ scopes, account: signedIn })).accessToken;
    } catch {
      // The refresh token has lapsed, consent is needed, or Entra ID could not be reached: the call goes with the
      // token there is, a 401 ends the session, and the person signs in again (a silent iframe is not allowed by the CSP).
      return undefined;
    }
  });
  // The token currentSession reads the claims from: the redirect's, or a silent one for an account already here.
  await freshToken();

  return {
    signIn: () => msal.loginRedirect({ scopes }),
    // The account is read at once, before the caller clears sessionStorage (MSAL's cache with it).
    signOut: () => {
      const signedIn = account();
      return msal.logoutRedirect(signedIn ? { account: signedIn } : {});
    },
  };
}
