import { ConfigError, loadConfig } from '../../server/config';

describe('loadConfig', () => {
  it('gives embedded defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({
      host: '127.0.0.1',
      port: 3000,
      shutdownTimeoutMs: 10000,
      trustProxy: false,
      proxyHops: 1,
      headersTimeoutMs: 10000,
      requestTimeoutMs: 30000,
      keepAliveTimeoutMs: 5000,
      maxHeadersCount: 100,
    });
    // Safe by default: limits on, counted in the shared database.
    expect(config.rateLimits).toMatchObject({ enabled: true, store: 'mongo' });
    expect(config.database).toEqual({ uri: undefined, mode: 'auto', fallbackTimeoutMs: 10000 });
    expect(config.logLevel).toBe('info');
    expect(config.worker.enabled).toBe(true);
    expect(config.voteBatching).toEqual({ windowMs: 25 });
  });

  it('gives accounts without a linked Steem account no stake, and a relink cooldown of one payout window, by default', () => {
    const config = loadConfig({});
    expect(config.rewards.baseStakeVests).toBe('0.000000 VESTS');
    expect(config.steemLinks).toEqual({ relinkCooldownSeconds: 604_800 });
    expect(loadConfig({ PAYOUT_WINDOW_SECONDS: '3600' }).steemLinks.relinkCooldownSeconds).toBe(3600);
    const set = loadConfig({ BASE_STAKE_VESTS: '1000000.000000', STEEM_RELINK_COOLDOWN_SECONDS: '0' });
    expect(set.rewards.baseStakeVests).toBe('1000000.000000 VESTS');
    expect(set.steemLinks.relinkCooldownSeconds).toBe(0);
    expect(() => loadConfig({ STEEM_RELINK_COOLDOWN_SECONDS: '-1' })).toThrow(/STEEM_RELINK_COOLDOWN_SECONDS/);
  });

  it('checks the treasury account with steemd’s account-name rule and amounts with the money module', () => {
    expect(loadConfig({ TREASURY_ACCOUNT: 'abc.def-9' }).chain.treasuryAccount).toBe('abc.def-9');
    for (const name of ['ab.cde', 'abc-', 'abc..def', 'Treasury', 'a'.repeat(17)]) {
      expect(() => loadConfig({ TREASURY_ACCOUNT: name })).toThrow(/TREASURY_ACCOUNT must be a Steem account name/);
    }
    expect(loadConfig({ REWARD_FUND_PER_DAY: '0.001 STEEM' }).rewards.rewardFundPerDay).toBe('0.001 STEEM');
    for (const amount of ['1.5 STEEM', '1.000 SBD', '-1.000 STEEM', '1000000000000.000 STEEM', '100']) {
      expect(() => loadConfig({ REWARD_FUND_PER_DAY: amount })).toThrow(/REWARD_FUND_PER_DAY must be an amount like "100.000 STEEM"/);
    }
    for (const vests of ['1.000 VESTS', '1.000', '-1.000000', '1000000000000000.000000']) {
      expect(() => loadConfig({ BASE_STAKE_VESTS: vests })).toThrow(/BASE_STAKE_VESTS must be a VESTS amount/);
    }
  });

  it('parses every documented variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      LOG_LEVEL: 'debug',
      MONGODB_URI: 'mongodb://db.example:27017/inkwell?replicaSet=rs0',
      INKWELL_DB: 'standin',
      JWT_SECRET: 'x'.repeat(40),
      JWT_TTL_SECONDS: '60',
      WORKER: 'off',
      VOTE_BATCH_WINDOW_MS: '0',
    });
    expect(config.http.port).toBe(8080);
    expect(config.database.uri).toBe('mongodb://db.example:27017/inkwell?replicaSet=rs0');
    expect(config.database.mode).toBe('standin');
    expect(config.auth).toEqual({ jwtSecret: 'x'.repeat(40), tokenTtlSeconds: 60 });
    expect(config.worker.enabled).toBe(false);
    expect(config.voteBatching).toEqual({ windowMs: 0 });
  });

  it.each([
    [{ PORT: 'eighty' }, /^Invalid configuration: PORT .*\(got "eighty"\)$/],
    [{ PORT: '70000' }, /^Invalid configuration: PORT /],
    [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL /],
    [{ MONGODB_URI: 'postgres://x' }, /^Invalid configuration: MONGODB_URI must start with mongodb:\/\//],
    [{ INKWELL_DB: 'sqlite' }, /^Invalid configuration: INKWELL_DB /],
    [{ JWT_SECRET: 'short' }, /^Invalid configuration: JWT_SECRET must be at least 32 characters/],
    [{ WORKER: 'maybe' }, /^Invalid configuration: WORKER /],
    [{ VOTE_BATCH_WINDOW_MS: '5000' }, /^Invalid configuration: VOTE_BATCH_WINDOW_MS /],
    [{ NODE_ENV: 'production' }, /^Invalid configuration: JWT_SECRET is required when NODE_ENV=production$/],
    [{ ADMIN_USERS: 'admin' }, /^Invalid configuration: ADMIN_USERS is no longer read; grant the admin role with `npm run admin -- grant <username>`/],
    [{ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), RATE_LIMIT: 'off' }, /^Invalid configuration: RATE_LIMIT=off is for benchmarks and load tests, never NODE_ENV=production$/],
    [{ RATE_LIMIT_STORE: 'redis' }, /^Invalid configuration: RATE_LIMIT_STORE /],
    [{ TRUST_PROXY: 'sometimes' }, /^Invalid configuration: TRUST_PROXY /],
    [{ RATE_LIMIT_LOGIN_DELAY_SECONDS: '600', RATE_LIMIT_LOGIN_MAX_DELAY_SECONDS: '60' }, /^Invalid configuration: RATE_LIMIT_LOGIN_DELAY_SECONDS must not exceed RATE_LIMIT_LOGIN_MAX_DELAY_SECONDS$/],
  ])('rejects %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('never echoes a secret, and shortens long values', () => {
    expect(() => loadConfig({ JWT_SECRET: 'y'.repeat(20) })).toThrow(/^Invalid configuration: JWT_SECRET must be at least 32 characters$/);
    expect(() => loadConfig({ MONGODB_URI: 'postgres://user:hunter2@x' })).not.toThrow(/hunter2/);
    const long = 'z'.repeat(100);
    expect(() => loadConfig({ PORT: long })).toThrow(/got "z{60}…"/);
  });
});
