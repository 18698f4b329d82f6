import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { envSchema } from '../../src/config/env';

const deploy = path.resolve(__dirname, '..', '..', 'deploy');

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
      // The fixed values parse as they are (the ${...} ones come from the operator's .env).
      const fixed = Object.fromEntries(
        Object.entries(service.environment ?? {}).filter(([, v]) => !String(v).includes('${')),
      );
      expect(() => envSchema.parse(fixed)).not.toThrow();
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
