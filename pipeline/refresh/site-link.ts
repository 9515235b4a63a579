// The published site is a symlink, site/current → builds/<id>. A new build goes into its own folder and the link is
// switched by one rename, so a reader (nginx, a file share) sees the old site or the new one, never half of one.
// site/previous points at the build before, for a rollback; older builds beyond `keep` are removed.
import { existsSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { basename, join } from "node:path";

export interface SiteLayout {
  root: string;
  builds: string;
  current: string;
  previous: string;
}

export function siteLayout(root: string): SiteLayout {
  return { root, builds: join(root, "builds"), current: join(root, "current"), previous: join(root, "previous") };
}

export function newBuildDir(layout: SiteLayout, now = new Date()): string {
  mkdirSync(layout.builds, { recursive: true });
  const id = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  let dir = join(layout.builds, id);
  for (let i = 1; existsSync(dir); i++) dir = join(layout.builds, `${id}-${i}`);
  return dir;
}

export function currentBuild(layout: SiteLayout): string | null {
  try {
    return join(layout.root, readlinkSync(layout.current));
  } catch {
    return null;
  }
}

function pointAt(link: string, target: string): void {
  const tmp = `${link}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  symlinkSync(target, tmp);
  renameSync(tmp, link); // atomic replacement of the link
}

/** Makes `buildDir` the published site in one step; the build published so far becomes site/previous. */
export function publish(layout: SiteLayout, buildDir: string, keep = 3): void {
  const before = currentBuild(layout);
  pointAt(layout.current, join("builds", basename(buildDir)));
  if (before && before !== buildDir) pointAt(layout.previous, join("builds", basename(before)));
  prune(layout, keep);
}

/** Removes old builds and unfinished ones, never the current or the previous. */
export function prune(layout: SiteLayout, keep = 3): string[] {
  if (!existsSync(layout.builds)) return [];
  const live = new Set([
    currentBuild(layout),
    (() => {
      try {
        return join(layout.root, readlinkSync(layout.previous));
      } catch {
        return null;
      }
    })()
  ]);
  const builds = readdirSync(layout.builds).sort().reverse();
  const removed: string[] = [];
  builds.forEach((name, i) => {
    const dir = join(layout.builds, name);
    if (live.has(dir)) return;
    if (i >= keep || !existsSync(join(dir, "manifest.json"))) {
      rmSync(dir, { recursive: true, force: true });
      removed.push(name);
    }
  });
  return removed;
}
