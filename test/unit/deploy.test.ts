import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { envSchema, PRODUCTION_KEYS, parseEnv } from '../../src/config/env';

const deploy = path.resolve(__dirname, '..', '..', 'deploy');

/** What an operator's deploy/.env gives for the values compose requires (${VAR:?...}). */
const OPERATOR_ENV: Record<string, string> = {
  PUBLIC_URL: 'https://helpline.example.com',
  REPORTS_SECRET: '0123456789abcdef0123456789abcdef0123456789abcdef',
};

/** A compose value as compose interpolates it: ${VAR:-default}, ${VAR:?message} (from `given`, else unset), ${VAR}. */
function interpolate(value: string, given: Record<string, string>): string | undefined {
  const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?)([^}]*))?\}$/.exec(value);
  if (!m) return value.includes('${') ? undefined : value;
  const [, name, op, rest] = m as unknown as [string, string, string | undefined, string | undefined];
  return given[name] ?? (op === ':-' ? rest : undefined);
}

describe('deploy/', () => {
  const compose = YAML.parse(fs.readFileSync(path.join(deploy, 'compose.yaml'), 'utf8')) as {
    services: Record<string, { environment?: Record<string, string>; image?: string; build?: unknown }>;
  };
  const replicas = Object.entries(compose.services).filter(([name]) => name.startsWith('helpline-'));

  it('runs three replicas of one image, every variable they set is a configuration key, and valid', () => {
    expect(replicas.map(([name]) => name)).toEqual(['helpline-1', 'helpline-2', 'helpline-3']);
    const keys = Object.keys(envSchema.shape);
    for (const [, service] of replicas) {
      const names = Object.keys(service.environment ?? {});
      expect(names.filter((n) => !keys.includes(n))).toEqual([]);
      expect(service.environment?.MONGODB_URI).toMatch(/replicaSet=rs0/);
      expect(service.environment?.MONGODB_URI).toMatch(/w=majority/);
      expect(service.environment?.SCHEDULER_ENABLED).toBe('1');
      expect(service.environment?.NODE_ENV).toBe('production');
    }
  });

  it('passes every key production needs (PRODUCTION_KEYS), the required ones never defaulted to empty', () => {
    for (const [, service] of replicas) {
      const env = service.environment ?? {};
      expect(Object.keys(PRODUCTION_KEYS).filter((k) => !(k in env))).toEqual([]);
      for (const [key, spec] of Object.entries(PRODUCTION_KEYS)) {
        if (spec.need !== 'required') continue;
        const value = String(env[key]);
        // Either fixed here, or from deploy/.env with compose refusing to start without it.
        expect({ key, ok: !value.includes('${') || value.startsWith(`\${${key}:?`) }).toEqual({ key, ok: true });
      }
    }
  });

  it('is a configuration production starts with once deploy/.env has the required values, and refuses without them', () => {
    for (const [, service] of replicas) {
      const resolve = (given: Record<string, string>) =>
        Object.fromEntries(
          Object.entries(service.environment ?? {})
            .map(([k, v]) => [k, interpolate(String(v), given)] as const)
            .filter((e): e is [string, string] => e[1] !== undefined),
        );
      expect(parseEnv(resolve(OPERATOR_ENV))).toMatchObject({ NODE_ENV: 'production', ...OPERATOR_ENV });
      expect(() => parseEnv(resolve({}))).toThrow(/REPORTS_SECRET: required when NODE_ENV=production/);
    }
  });

  it('balances over every replica in nginx, and the image runs as a non-root user with a health check', () => {
    const nginx = fs.readFileSync(path.join(deploy, 'nginx.conf'), 'utf8');
    for (const [name] of replicas) expect(nginx).toContain(`server ${name}:3978`);
    const dockerfile = fs.readFileSync(path.join(deploy, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
    expect(compose.services['mongo-init']).toBeDefined();
  });
});
