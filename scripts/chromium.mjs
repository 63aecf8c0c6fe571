// Finds a Chromium for the browser tests: CHROME_PATH, then the usual paths, Chromium's headless shell first (Debian's
// chromium-headless-shell: the build made for automation that Playwright itself runs headless; the browser tests took a
// fifth less CPU with it than with the full browser in its headless mode, 68 against 84 CPU-s for three files). With
// `install: true`, on Debian as root it installs chromium-headless-shell and fonts-noto-cjk (without the fonts Chinese
// renders as boxes).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const CANDIDATES = [
  '/usr/bin/chromium-headless-shell',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

function fontsPresent() {
  return spawnSync('sh', ['-c', 'fc-list :lang=zh | grep -qi noto'], { stdio: 'ignore' }).status === 0;
}

export function findChromium({ install = false } = {}) {
  const found = () => [process.env.CHROME_PATH, ...CANDIDATES].find((p) => p && existsSync(p));
  if (found() && fontsPresent()) return found();
  const debianRoot = existsSync('/etc/debian_version') && process.getuid?.() === 0;
  if (install && debianRoot) {
    console.log('Installing chromium-headless-shell and fonts-noto-cjk with apt-get (browser tests need them)…');
    spawnSync(
      'sh',
      [
        '-c',
        'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell fonts-noto-cjk >/dev/null',
      ],
      {
        stdio: 'inherit',
      },
    );
  } else if (!found() || !fontsPresent()) {
    console.error('Browser tests need Chromium and CJK fonts: set CHROME_PATH, or install chromium-headless-shell and fonts-noto-cjk.');
  }
  return found() ?? null;
}
