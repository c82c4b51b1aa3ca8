import { useEffect, useState } from 'preact/hooks';
import { setApiBaseUrl } from './api';
import { ComplianceView } from './compliance/compliance-view';
import { loadConfig, type ConsoleConfig } from './config';
import type { EntraSession } from './entra';
import { AnalyticsView, CustodyView, EventView, GroupsView, ProfilesList, TransparencyView } from './lazy-views';
import { Link } from './link';
import { LinksView } from './links/links-view';
import { PoliceView } from './police/police-view';
import { ProfileView } from './profiles/profile-view';
import { ReportView } from './report/report-view';
import { mayUse, RequireRole } from './require-role';
import { navigate, usePath } from './router';
import { currentSession, freshToken, onSessionEnded, signOut, type Session } from './session';
import { ViewHeading } from './view-heading';

/** The views, each for the roles that may use it (PRODUCT §1); the navigation offers only the caller's. */
const VIEWS = [
  { path: '/report', title: 'Report', roles: ['Reporter', 'Investigator'], blurb: 'Record an event, with the people, vehicles and evidence.' },
  { path: '/links', title: 'Link review', roles: ['Investigator'], blurb: 'Decide whether suggested profiles are the same person.' },
  { path: '/profiles', title: 'Profiles', roles: ['Investigator'], blurb: 'People ranked by the harm they do, and their risk tiers.' },
  { path: '/groups', title: 'Groups', roles: ['Investigator'], blurb: 'People who offend together.' },
  { path: '/analytics', title: 'Analytics', roles: ['Investigator'], blurb: 'Events and loss per type, store, product, hour or weekday.' },
  { path: '/police', title: 'Shared events', roles: ['PoliceOfficer'], blurb: 'Events retailers have shared with your agency.' },
  { path: '/compliance', title: 'Audit', roles: ['Compliance'], blurb: "Verify and export your organisation's audit chain; evidence custody." },
  { path: '/transparency', title: 'Police requests', roles: ['RetailerAdmin', 'Compliance'], blurb: 'What the police read of your data, and why.' },
] as const;

export function App() {
  const path = usePath();
  const [session, setSession] = useState<Session | undefined>(currentSession);
  // Set when the session ended by itself (a 401, or the token's expiry), not by Sign out.
  const [ended, setEnded] = useState(false);
  const [config, setConfig] = useState<ConsoleConfig | undefined>();
  const [entra, setEntra] = useState<EntraSession | undefined>();
  // Set when Entra ID sign-in could not start or its answer was refused.
  const [signInError, setSignInError] = useState<string | undefined>();
  useEffect(() => void start().then(setConfig), []);
  async function start(): Promise<ConsoleConfig> {
    const loaded = await loadConfig(location.origin);
    // Before any view calls the API: views are shown only once the configuration is here.
    setApiBaseUrl(loaded.apiBaseUrl);
    if (loaded.signIn?.kind === 'entra') {
      try {
        // MSAL only now, and only for an Entra deployment: the local first load stays small.
        const { startEntra } = await import('./entra');
        setEntra(await startEntra(loaded.signIn));
        setSession(currentSession());
      } catch (error) {
        setSignInError(error instanceof Error ? error.message : String(error));
      }
    }
    return loaded;
  }
  const end = () => {
    setSession(undefined);
    setEnded(true);
  };
  useEffect(() => onSessionEnded(end), []);
  // On every navigation: a token past its expiry is gone (currentSession forgets it), unless the
  // token source renews it silently (MSAL, in an Azure build).
  useEffect(() => {
    if (session && !currentSession()) void freshToken().then(() => (currentSession() ? setSession(currentSession()) : end()));
  }, [path]);
  const mine = VIEWS.filter((view) => mayUse(session, view.roles));

  const leave = () => {
    // With Entra ID its session ends too, and it sends the browser back to / (the account is read before the cache goes).
    const leavingEntra = entra?.signOut().catch((e: unknown) => setSignInError(e instanceof Error ? e.message : String(e)));
    signOut();
    setSession(undefined);
    setEnded(false);
    if (!leavingEntra) navigate('/');
  };

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <p class="brand">Daybreak</p>
        {mine.length > 0 && (
          <nav aria-label="Views">
            <ul>
              {mine.map((view) => (
                <li key={view.path}>
                  <Link href={view.path} current={path.startsWith(view.path)}>
                    {view.title}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {session && (
          <div class="who">
            <span>
              {session.sub} · {session.org ?? 'no organisation'} · {session.roles.join(', ')}
            </span>
            <button type="button" class="link" onClick={leave}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <main id="main">
        {session && config ? (
          <Route path={path} session={session} views={mine} />
        ) : (
          <SignedOut
            config={config}
            ended={ended}
            {...(entra ? { entraSignIn: () => void entra.signIn().catch((e: unknown) => setSignInError(e instanceof Error ? e.message : String(e))) } : {})}
            {...(signInError ? { error: signInError } : {})}
          />
        )}
      </main>
    </>
  );
}

function Route(props: { path: string; session: Session; views: readonly (typeof VIEWS)[number][] }) {
  const { path, session } = props;
  const eventId = decodedId(path, '/police/events/');
  const linkId = decodedId(path, '/links/');
  const profileId = decodedId(path, '/profiles/');
  const ownEventId = decodedId(path, '/events/');
  const evidenceId = decodedId(path, '/custody/');
  if (path === '/report') {
    return (
      <RequireRole session={session} roles={['Reporter', 'Investigator']} title="Report an event">
        <ReportView session={session} />
      </RequireRole>
    );
  }
  if (path === '/links' || linkId !== undefined) {
    return (
      <RequireRole session={session} roles={['Investigator']} title="Link review">
        <LinksView session={session} {...(linkId !== undefined ? { linkId } : {})} key={path} />
      </RequireRole>
    );
  }
  if (profileId !== undefined) {
    return (
      <RequireRole session={session} roles={['Investigator']} title="Profile">
        <ProfileView session={session} id={profileId} key={path} />
      </RequireRole>
    );
  }
  if (path === '/profiles' || path === '/groups' || path === '/analytics') {
    const View = { '/profiles': ProfilesList, '/groups': GroupsView, '/analytics': AnalyticsView }[path];
    return (
      <RequireRole session={session} roles={['Investigator']} title={VIEWS.find((v) => v.path === path)!.title}>
        <View session={session} />
      </RequireRole>
    );
  }
  if (ownEventId !== undefined) {
    return (
      <RequireRole session={session} roles={['Investigator']} title="Event">
        <EventView session={session} id={ownEventId} key={path} />
      </RequireRole>
    );
  }
  if (evidenceId !== undefined) {
    return (
      <RequireRole session={session} roles={['Compliance', 'Investigator']} title="Chain of custody">
        <CustodyView session={session} id={evidenceId} key={path} />
      </RequireRole>
    );
  }
  if (path === '/transparency') {
    return (
      <RequireRole session={session} roles={['RetailerAdmin', 'Compliance']} title="Police requests">
        <TransparencyView session={session} />
      </RequireRole>
    );
  }
  if (path === '/police' || eventId !== undefined) {
    return (
      <RequireRole session={session} roles={['PoliceOfficer']} title="Shared events">
        <PoliceView session={session} {...(eventId !== undefined ? { eventId } : {})} key={path} />
      </RequireRole>
    );
  }
  if (path === '/compliance') {
    return (
      <RequireRole session={session} roles={['Compliance']} title="Audit">
        <ComplianceView session={session} />
      </RequireRole>
    );
  }
  return (
    <section aria-labelledby="view-title">
      <ViewHeading>{path === '/' ? 'Welcome' : 'No such page'}</ViewHeading>
      {props.views.length ? (
        <ul class="cards">
          {props.views.map((view) => (
            <li key={view.path}>
              <Link href={view.path}>{view.title}</Link>
              <p>{view.blurb}</p>
            </li>
          ))}
        </ul>
      ) : (
        <p>None of this console's views is for your roles ({session.roles.join(', ') || 'none'}) yet.</p>
      )}
    </section>
  );
}

/** The id in <prefix><id> (/police/events/<id>); undefined for any other path, or one that does not decode (/police/events/%E0%A4). */
function decodedId(path: string, prefix: string): string | undefined {
  const rest = path.startsWith(prefix) ? path.slice(prefix.length) : '';
  if (!rest || rest.includes('/')) return undefined;
  try {
    return decodeURIComponent(rest);
  } catch {
    return undefined;
  }
}

function SignedOut(props: { config: ConsoleConfig | undefined; ended: boolean; entraSignIn?: () => void; error?: string }) {
  const { config, ended, entraSignIn, error } = props;
  const signIn = config?.signIn;
  return (
    <section aria-labelledby="view-title">
      <ViewHeading>Sign in to Daybreak</ViewHeading>
      {ended && <p role="alert">Your session has ended. Sign in again to carry on where you were.</p>}
      {error && <p role="alert">Sign-in with Entra ID failed: {error}</p>}
      {config === undefined ? (
        <p role="status">Loading…</p>
      ) : signIn?.kind === 'page' ? (
        <p>
          <a class="button" href={`${signIn.url}?return=${encodeURIComponent(location.pathname)}`}>
            Sign in
          </a>
        </p>
      ) : signIn?.kind === 'entra' ? (
        entraSignIn && (
          <p>
            <button type="button" onClick={entraSignIn}>
              Sign in
            </button>
          </p>
        )
      ) : (
        <p role="alert">This deployment has no sign-in configured.</p>
      )}
    </section>
  );
}
