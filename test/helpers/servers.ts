import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findJava, type LocalBackend, startJavaServer } from '../../src/store/local-mongo';

/** One database server a test runs against: `uri` ends with `/`, without a database name. */
export interface TestServer {
  name: string;
  uri: string;
  stop(): Promise<void>;
}

/**
 * The names of every kind of server Helpline supports that this machine can run: mongo-java-server's memory and
 * H2 backends (with Java 17+), and the jest global setup's server when it is another one (a MONGODB_URI given by
 * the person running the tests, or a mongod on the PATH). Synchronous, so that `describe` blocks can be made
 * per server; {@link openServer} starts one.
 */
export function supportedServers(): string[] {
  const sharedKind = process.env.HELPLINE_TEST_SERVER;
  if (!process.env.MONGODB_URI || !sharedKind)
    throw new Error('run the tests through jest: its global setup starts the database');
  const backends: string[] = findJava() !== undefined ? ['memory', 'h2'] : [];
  return backends.includes(sharedKind) ? backends : [...backends, sharedKind];
}

/** Opens a server named by {@link supportedServers}: the global setup's when it is that kind, else a new one. */
export async function openServer(kind: string): Promise<TestServer> {
  const shared = process.env.MONGODB_URI ?? '';
  const name = kind === 'memory' || kind === 'h2' ? `mongo-java-server ${kind}` : kind;
  if (kind === process.env.HELPLINE_TEST_SERVER) return { name, uri: shared, stop: async () => {} };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `helpline-test-${kind}-`));
  const server = await startJavaServer({ dataDir, backend: kind as LocalBackend });
  return {
    name,
    uri: server.uri,
    stop: async () => {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
