/**
 * WebKitGTK (Debian `webkit2gtk-driver`): WebKitWebDriver under `xvfb-run` launches MiniBrowser
 * with `--automation`; selenium-webdriver drives it over classic WebDriver.
 *
 * A MiniBrowser under automation writes no console line anywhere (the setting
 * `--enable-write-console-messages-to-stdout` works only without `--automation`), and
 * WebKitWebDriver has no log endpoint: {@link webkitConsoleOfLoad} loads a page in a MiniBrowser of
 * its own to read what WebKit says while parsing it — an unrecognized CSP directive, say.
 *
 * Classic WebDriver has no preload script (WebKitGTK's WebDriver BiDi is not in this build), so
 * the fake microphone (fake-microphone.ts) is installed right after each load, before the test
 * touches the page: enough for a page that asks for the microphone on a click, as
 * `<digit-listener>` does, not for one that asks while loading.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { Builder, Capabilities, type WebDriver, type WebElement } from 'selenium-webdriver';
import { type EnginePage, callSource, collectLines, findBrowser, installPageProbes, pollUntil, readPageProbes } from './engine-page';
import { installFakeMicrophone } from './fake-microphone';

/** MiniBrowser of the installed WebKitGTK (its folder is named after the API version: 4.0, 4.1, 6.0). */
function miniBrowserCandidates(): string[] {
  const found: string[] = [];
  for (const lib of ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib', '/usr/libexec']) {
    if (!existsSync(lib)) continue;
    for (const dir of readdirSync(lib)
      .filter((d) => /^webkit2?gtk-/.test(d))
      .sort()
      .reverse())
      found.push(`${lib}/${dir}/MiniBrowser`);
  }
  return found;
}

/**
 * WebKitGTK's MiniBrowser: `WEBKIT_MINIBROWSER_PATH`, else the installed WebKitGTK's; null (tests
 * skip loudly) when it, WebKitWebDriver or xvfb-run is missing, unless REQUIRE_BROWSER=1.
 *
 * @throws Error if REQUIRE_BROWSER=1 and something is missing
 */
export function findWebKit(): { miniBrowser: string; webDriver: string; xvfbRun: string } | null {
  const install = 'apt-get install webkit2gtk-driver xvfb, or set WEBKIT_MINIBROWSER_PATH';
  const miniBrowser = findBrowser('WebKitGTK MiniBrowser', [process.env.WEBKIT_MINIBROWSER_PATH, ...miniBrowserCandidates()], install);
  const webDriver = miniBrowser && findBrowser('WebKitWebDriver', [process.env.WEBKIT_WEBDRIVER_PATH, '/usr/bin/WebKitWebDriver'], install);
  const xvfbRun = webDriver && findBrowser('xvfb-run', ['/usr/bin/xvfb-run'], install);
  return miniBrowser && webDriver && xvfbRun ? { miniBrowser, webDriver, xvfbRun } : null;
}

/**
 * MiniBrowser's settings for the tests: MediaStream on (MediaStreamAudioDestinationNode and
 * getUserMedia live behind it), media and Web Audio may start without a gesture (as Chromium's
 * autoplay flag).
 */
export const MINIBROWSER_ARGS: readonly string[] = Object.freeze([
  '--automation',
  '--enable-media-stream=true',
  '--enable-webaudio=true',
  '--media-playback-requires-user-gesture=false',
  '--autoplay-policy=allow',
]);

/**
 * Loads `url` in a MiniBrowser without automation (under xvfb-run), which quits when the load
 * finishes, and returns the console lines WebKit wrote meanwhile (`CONSOLE <SOURCE> <LEVEL> …`,
 * on stderr): every warning about the page's headers and markup, such as an unrecognized CSP
 * directive, is written before the load event.
 *
 * @throws Error if WebKitGTK is not installed or the load does not finish in `timeoutMs`
 */
export async function webkitConsoleOfLoad(url: string, timeoutMs = 30_000): Promise<string[]> {
  const found = findWebKit();
  if (!found) throw new Error('WebKitGTK (MiniBrowser, xvfb-run) is not installed');
  const lines: string[] = [];
  // Its website data in a folder of its own, removed afterwards (`--private` would do, but a
  // private window writes no console line).
  const home = mkdtempSync(join(tmpdir(), 'minibrowser-'));
  const child = spawn(found.xvfbRun, ['-a', '-s', '-screen 0 1280x1024x24', found.miniBrowser, '--enable-write-console-messages-to-stdout=true', '--exit-after-load', url], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, XDG_DATA_HOME: join(home, 'data'), XDG_CACHE_HOME: join(home, 'cache'), XDG_CONFIG_HOME: join(home, 'config') },
  });
  collectLines(child.stdout, (l) => lines.push(l));
  collectLines(child.stderr, (l) => lines.push(l));
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const timer = new Promise<'timeout'>((ok) => setTimeout(() => ok('timeout'), timeoutMs).unref());
  const outcome = await Promise.race([exited, timer]);
  await stopGroup(child);
  rmSync(home, { recursive: true, force: true, maxRetries: 3 });
  if (outcome === 'timeout') throw new Error(`MiniBrowser did not finish loading ${url} in ${timeoutMs} ms:\n${lines.join('\n')}`);
  return lines.filter((l) => /\bCONSOLE\b/.test(l));
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

/**
 * Whether a process of the group `pgid` still runs. Zombies, which init reaps a moment later, do
 * not count; where there is no /proc, any process of the group (zombie or not) does.
 */
function groupRuns(pgid: number): boolean {
  if (!existsSync('/proc/self/stat')) {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid pgrp …", where comm may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z') return true;
  }
  return false;
}

/**
 * Stops a process group this module started (xvfb-run, Xvfb, WebKitWebDriver, MiniBrowser and
 * WebKit's web, network and GPU processes) and waits until none of it runs — also when its leader
 * already exited: after `--exit-after-load`, xvfb-run exits while MiniBrowser's WebKitWebProcess
 * still writes its shader cache into the folder the caller is about to remove.
 */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pgid = child.pid;
  if (!pgid) return;
  const leaderExited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((ok) => child.once('exit', () => ok()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pgid, name);
    } catch {
      /* no process left in the group */
    }
  };
  const gone = async (timeoutMs: number) => {
    for (const deadline = Date.now() + timeoutMs; groupRuns(pgid) && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 50));
    return !groupRuns(pgid);
  };
  signal('SIGTERM');
  if (!(await gone(3000))) {
    signal('SIGKILL');
    await gone(2000);
  }
  await leaderExited;
}

/**
 * Starts WebKitWebDriver under xvfb-run, opens MiniBrowser through it, navigates to `url` and
 * installs the fake microphone playing `micWavUrl` (same origin as the app), runs `fn`, and always
 * quits the browser and stops the processes it started.
 *
 * @throws Error if WebKitGTK is not installed, the driver does not start, or whatever `fn` throws
 */
export async function withWebKitPage(
  url: string,
  micWavUrl: string,
  fn: (page: EnginePage, raw: { driver: WebDriver }) => Promise<void>,
  options: { leadSeconds?: number } = {},
): Promise<void> {
  const found = findWebKit();
  if (!found) throw new Error('WebKitGTK (MiniBrowser, WebKitWebDriver, xvfb-run) is not installed');
  const port = await freePort();
  const lines: string[] = [];
  // Its own process group, so the X server, the driver and the browser all stop with it.
  const child = spawn(found.xvfbRun, ['-a', '-s', '-screen 0 1280x1024x24', found.webDriver, `--port=${port}`], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  collectLines(child.stdout, (l) => lines.push(`[stdout] ${l}`));
  collectLines(child.stderr, (l) => lines.push(`[stderr] ${l}`));
  let driver: WebDriver | null = null;
  try {
    const server = `http://127.0.0.1:${port}`;
    await pollUntil('WebKitWebDriver to listen', async () => (await fetch(`${server}/status`).catch(() => null))?.ok, 15_000).catch((e: Error) => {
      throw new Error(`${e.message}\n${lines.join('\n')}`);
    });
    const capabilities = new Capabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: found.miniBrowser, args: [...MINIBROWSER_ARGS] },
    });
    driver = await new Builder().usingServer(server).withCapabilities(capabilities).build();
    const d = driver;
    await d.manage().setTimeouts({ script: 30_000, pageLoad: 30_000 });
    const caps = await d.getCapabilities();
    const mic = { wavUrl: micWavUrl, leadSeconds: options.leadSeconds ?? 0.3 };
    const evaluate = async <T, A>(f: (arg: A) => T | Promise<T>, arg?: A): Promise<T> => {
      const result = await d.executeAsyncScript<{ ok: boolean; value?: T; error?: string }>(
        `const done = arguments[arguments.length - 1];
         Promise.resolve().then(() => ${callSource(f, arg)}).then((value) => done({ ok: true, value }), (e) => done({ ok: false, error: String((e && e.stack) || e) }));`,
      );
      if (!result.ok) throw new Error(`in WebKit: ${result.error}`);
      return result.value as T;
    };
    const installHooks = async () => {
      await d.executeScript(callSource(installPageProbes, undefined));
      await d.executeScript(callSource(installFakeMicrophone, mic));
    };
    const page: EnginePage = {
      engine: 'webkit',
      version: `${caps.getBrowserName()}/${caps.getBrowserVersion()}`,
      goto: async (to) => {
        await d.get(to);
        await installHooks();
      },
      reload: async () => {
        await d.navigate().refresh();
        await installHooks();
      },
      evaluate,
      waitFor: (what, f, arg, timeoutMs = 20_000) => pollUntil(what, () => evaluate(f, arg), timeoutMs),
      click: async (...selectors) => {
        const element = await d.executeScript<WebElement>(
          `let root = document, found = null;
           for (const [i, s] of arguments[0].entries()) {
             found = root.querySelector(s);
             if (!found) throw new Error('no element ' + arguments[0].slice(0, i + 1).join(' >>> '));
             root = found.shadowRoot;
           }
           return found;`,
          selectors,
        );
        await element.click();
      },
      problems: () => evaluate(readPageProbes),
      consoleLines: () => [...lines],
    };
    await page.goto(url);
    await fn(page, { driver: d });
  } finally {
    await driver?.quit().catch(() => undefined);
    await stopGroup(child);
  }
}
