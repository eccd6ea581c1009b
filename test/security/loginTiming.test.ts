import { performance } from 'node:perf_hooks';
import { mostConcurrentPasswordDerivations, passwordDerivations } from '../../lib/auth/passwords';
import { registerUser, startTestApi, type TestApi } from '../support/api';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const login = (email: string, password: string) => api.http().post('/api/users/login').send({ user: { email, password } });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('login timing does not tell whether an email is registered', () => {
  it('runs scrypt exactly once for an unknown email, as for a known one', async () => {
    const { email } = await registerUser(api);
    for (const [who, password] of [[email, 'not the password at all'], ['nobody-here@example.com', 'not the password at all'], [email, 'correct horse battery']] as const) {
      const before = passwordDerivations();
      await login(who, password);
      expect(passwordDerivations() - before).toBe(1);
    }
  });

  it('answers an unknown email no faster than about half a known email’s wrong-password login', async () => {
    const { email } = await registerUser(api);
    await login(email, 'warm up the path'); // first-use costs (connection, JIT) out of the measurement
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, so a slow stretch of a shared machine hits both sides alike.
    for (let i = 0; i < 7; i++) {
      for (const [who, times] of [[email, known], [`unknown${i}@example.com`, unknown]] as const) {
        const started = performance.now();
        const response = await login(who, 'wrong password, same work');
        times.push(performance.now() - started);
        expect(response.status).toBe(401);
      }
    }
    expect(median(unknown)).toBeGreaterThanOrEqual(median(known) / 2);
  });
});

describe('password hashing memory', () => {
  it('runs one scrypt derivation (16 MiB) at a time however many logins arrive together, and answers each', async () => {
    const users = [await registerUser(api), await registerUser(api), await registerUser(api)];
    const attempts = users.flatMap(({ email }) => [login(email, 'correct horse battery'), login(email, 'a wrong password here')]);
    attempts.push(login('nobody-at-all@example.com', 'correct horse battery'));
    const answers = await Promise.all(attempts);
    expect(answers.map((answer) => answer.status)).toEqual([200, 401, 200, 401, 200, 401, 401]);
    expect(mostConcurrentPasswordDerivations()).toBe(1);
  });
});
