import { readFile, realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { consolePageHeaders } from '../../console/page-headers';

/**
 * Static files served outside the API's route prefix (the web console, built into dist/console).
 * A path with no file and no extension answers index.html, so the console's own paths
 * (/police/events/…) survive a reload. Hashed files under /assets/ are cached for good; the page
 * itself never, so a rebuild shows at once.
 */
export interface StaticSite {
  root: string;
  /** Whether a path is the API's (under its route prefix, read as the route table reads it): never the site's. */
  isApiPath: (pathname: string) => boolean;
  /** Origins the page may call besides its own: the blob endpoint that evidence uploads PUT to (its SAS URLs). */
  connectSources?: readonly string[];
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves the request from the site and returns true, or returns false to let the API's routes answer. */
export async function serveStatic(site: StaticSite, method: string, pathname: string, res: ServerResponse, requestId: string): Promise<boolean> {
  // An empty segment ('//api/…') is in none of the site's paths; the route table answers it (404).
  if ((method !== 'GET' && method !== 'HEAD') || pathname.includes('//') || site.isApiPath(pathname)) return false;
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    // No file has a name that does not decode: a file's path is a 404, any other the page (which says No such page).
    if (path.extname(pathname)) return false;
    relative = '/';
  }
  // A NUL or a backslash is in no file name the site has (and a backslash is a separator on Windows).
  if (/[\0\\]/.test(relative)) return false;
  const root = await realpathOrUndefined(path.resolve(site.root));
  if (!root) return false;
  const wanted = path.resolve(root, `.${path.posix.normalize(`/${relative}`)}`);
  if (!inside(root, wanted)) return false;
  const chosen = (await isFile(wanted)) ? wanted : path.extname(wanted) ? undefined : path.join(root, 'index.html');
  // A symlink in the folder may point anywhere: the file it resolves to must be in the folder too.
  const file = chosen && (await realpathOrUndefined(chosen));
  if (!file || !inside(root, file) || !(await isFile(file))) return false;

  const body = await readFile(file);
  const immutable = file.startsWith(path.join(root, 'assets') + path.sep);
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-request-id': requestId,
    ...consolePageHeaders(site.connectSources ?? []),
  });
  res.end(method === 'HEAD' ? undefined : body);
  return true;
}

const inside = (root: string, file: string): boolean => file === root || file.startsWith(root + path.sep);

async function realpathOrUndefined(file: string): Promise<string | undefined> {
  try {
    return await realpath(file);
  } catch {
    return undefined;
  }
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
