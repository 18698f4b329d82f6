/**
 * Builds the local database server (tools/mongo-server: mongo-java-server with Helpline's launcher) with Maven,
 * once, into `<project>/.cache/mongo-server/<sources hash>/` (the launcher's jar and its dependencies in lib/).
 * The folder is built under a temporary name and renamed into place, so a build that dies half-way leaves
 * nothing that looks complete, and two processes building at once both end with the same finished folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { errorCode, findOnPath, forEachLine, OutputTail } from './processes';

export const MONGO_JAVA_SERVER_VERSION = '1.47.0';
const MIN_JAVA = 17;
const JAR = 'helpline-local-mongo.jar';
const PROGRESS_EVERY_MS = 2_000;

export const NO_LOCAL_DATABASE =
  'No local database available: install Java 17+ and Maven (Debian: apt-get install default-jdk-headless maven) ' +
  'to run the bundled mongo-java-server, or MongoDB (mongod on the PATH), or set MONGODB_URI to a MongoDB server.';

export interface JavaServerBuild {
  /** The `java` executable to run it with. */
  java: string;
  /** The classpath: the launcher's jar and every dependency jar. */
  classpath: string;
}

export interface BuildOptions {
  /** Default `<project>/.cache/mongo-server`. */
  cacheDir?: string;
  log?: (msg: string) => void;
}

let cachedRoot: string | undefined;

/** The directory holding package.json, found by walking up from this file (works from src/ and dist/). */
export function projectRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      cachedRoot = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json found above ${__dirname}`);
    dir = parent;
  }
}

export function javaServerSourceDir(): string {
  return path.join(projectRoot(), 'tools', 'mongo-server');
}

function defaultCacheDir(): string {
  return path.join(projectRoot(), '.cache', 'mongo-server');
}

/** `java` from JAVA_HOME or the PATH when it is version 17 or later; otherwise undefined. */
export function findJava(): string | undefined {
  const candidates = [
    process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : undefined,
    findOnPath('java'),
  ];
  for (const java of candidates) {
    if (java === undefined || !fs.existsSync(java)) continue;
    if ((javaMajorVersion(java) ?? 0) >= MIN_JAVA) return java;
  }
  return undefined;
}

function javaMajorVersion(java: string): number | undefined {
  // `java -version` writes to stderr.
  const run = spawnSync(java, ['-version'], { encoding: 'utf8', timeout: 10_000 });
  return parseJavaVersion(`${run.stderr ?? ''}${run.stdout ?? ''}`);
}

/** The major version in `java -version` output: `"17.0.15"` → 17, `"1.8.0_392"` → 8. */
export function parseJavaVersion(output: string): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(output);
  if (m?.[1] === undefined) return undefined;
  const major = Number(m[1]);
  return major === 1 && m[2] !== undefined ? Number(m[2]) : major;
}

/** Hash of the launcher's sources (pom.xml and every .java file); undefined when they are not shipped. */
function sourceHash(sourceDir: string): string | undefined {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.java')) files.push(full);
    }
  };
  try {
    walk(path.join(sourceDir, 'src'));
    files.sort();
    const hash = createHash('sha256');
    for (const file of [path.join(sourceDir, 'pom.xml'), ...files]) {
      hash.update(path.relative(sourceDir, file)).update('\0').update(fs.readFileSync(file)).update('\0');
    }
    return hash.digest('hex').slice(0, 16);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

function classpathOf(buildDir: string): string | undefined {
  const jar = path.join(buildDir, JAR);
  const lib = path.join(buildDir, 'lib');
  if (!fs.existsSync(jar) || !fs.existsSync(lib)) return undefined;
  const deps = fs
    .readdirSync(lib)
    .filter((f) => f.endsWith('.jar'))
    .sort()
    .map((f) => path.join(lib, f));
  return [jar, ...deps].join(path.delimiter);
}

/** The newest complete build in the cache (used when the sources are not shipped, e.g. a deployed dist/). */
function newestBuild(cacheDir: string): string | undefined {
  if (!fs.existsSync(cacheDir)) return undefined;
  return fs
    .readdirSync(cacheDir)
    .filter((name) => /^[0-9a-f]{16}$/.test(name) && classpathOf(path.join(cacheDir, name)) !== undefined)
    .map((name) => path.join(cacheDir, name))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
}

/**
 * Returns how to run the local database server, building it with Maven first when the cache has no build of
 * the current sources. Throws {@link NO_LOCAL_DATABASE} when Java 17+ is missing (or Maven, when a build is due).
 */
export async function ensureJavaServer(opts: BuildOptions = {}): Promise<JavaServerBuild> {
  const log = opts.log ?? (() => {});
  const java = findJava();
  if (java === undefined) throw new Error(NO_LOCAL_DATABASE);
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const sourceDir = javaServerSourceDir();
  const hash = sourceHash(sourceDir);
  const buildDir = hash === undefined ? newestBuild(cacheDir) : path.join(cacheDir, hash);
  if (buildDir === undefined) throw new Error(`${NO_LOCAL_DATABASE} (${sourceDir} is missing and nothing is cached)`);

  const ready = classpathOf(buildDir);
  if (ready !== undefined) return { java, classpath: ready };

  const mvn = findOnPath('mvn');
  if (mvn === undefined) throw new Error(NO_LOCAL_DATABASE);
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmpDir = `${buildDir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  log(
    `Building the local database (mongo-java-server ${MONGO_JAVA_SERVER_VERSION}) with Maven into ${buildDir}; ` +
      'the first time downloads its jars from Maven Central…',
  );
  const started = Date.now();
  try {
    await runMaven(mvn, sourceDir, tmpDir, log);
    try {
      fs.renameSync(tmpDir, buildDir);
    } catch (err) {
      // Another process finished the same build first: keep theirs.
      if (!['ENOTEMPTY', 'EEXIST'].includes(errorCode(err) ?? '')) throw err;
    }
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  pruneOtherBuilds(cacheDir, buildDir);
  log(`Built the local database in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const classpath = classpathOf(buildDir);
  if (classpath === undefined) throw new Error(`the Maven build of ${sourceDir} left no ${JAR} in ${buildDir}`);
  return { java, classpath };
}

/** Removes builds of earlier sources (and leftovers of interrupted builds older than an hour). */
function pruneOtherBuilds(cacheDir: string, keep: string): void {
  for (const name of fs.readdirSync(cacheDir)) {
    const full = path.join(cacheDir, name);
    if (full === keep) continue;
    const interrupted = name.includes('.tmp-');
    if (interrupted && Date.now() - fs.statSync(full).mtimeMs < 3_600_000) continue;
    if (interrupted || /^[0-9a-f]{16}$/.test(name)) fs.rmSync(full, { recursive: true, force: true });
  }
}

function runMaven(mvn: string, sourceDir: string, buildDir: string, log: (msg: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const tail = new OutputTail();
    let downloads = 0;
    let lastArtifact = '';
    let lastReport = Date.now();
    const child = spawn(
      mvn,
      ['-B', '-f', path.join(sourceDir, 'pom.xml'), `-Dhelpline.buildDir=${buildDir}`, 'package'],
      {
        cwd: sourceDir,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const onLine = (line: string): void => {
      tail.push(line);
      const downloaded = /^Downloaded from \S+: (\S+)/.exec(line);
      if (downloaded?.[1] !== undefined) {
        downloads++;
        lastArtifact = downloaded[1].slice(downloaded[1].lastIndexOf('/') + 1);
        if (Date.now() - lastReport >= PROGRESS_EVERY_MS) {
          lastReport = Date.now();
          log(`  resolving: ${downloads} files downloaded so far (${lastArtifact})`);
        }
      } else if (/\[ERROR\]/.test(line)) {
        log(line);
      }
    };
    forEachLine(child.stdout, onLine);
    forEachLine(child.stderr, onLine);
    child.once('error', (err) => reject(new Error(`cannot run ${mvn}: ${err.message}`)));
    child.once('close', (code, signal) => {
      if (downloads > 0) log(`  resolved: ${downloads} files downloaded`);
      if (code === 0) resolve();
      else reject(new Error(`Maven build of the local database failed (${signal ?? `exit code ${code}`}):\n${tail}`));
    });
  });
}
