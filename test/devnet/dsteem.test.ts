import { Client, PrivateKey, cryptoUtils, type Transaction } from 'dsteem';
import { startDevnet, type Devnet } from '../../devinfra/steem-devnet';

/** An unmodified dsteem Client against the devnet: what passes here should pass against steemd. */
describe('devnet with an unmodified dsteem Client', () => {
  let now = Date.parse('2024-03-01T12:00:00Z');
  const clock = () => now;
  let devnet: Devnet;
  let client: Client;
  let treasuryKey: PrivateKey;
  let aliceKeys: { active: string; posting: string };

  beforeAll(async () => {
    devnet = await startDevnet({ blockIntervalMs: 0, clock });
    client = new Client(devnet.url, { chainId: devnet.chainId, timeout: 2000 });
    treasuryKey = PrivateKey.from(devnet.treasury.activeKey);
    const alice = devnet.createAccount({ name: 'alice', balance: '10.000 STEEM' });
    aliceKeys = { active: alice.keys.active!, posting: alice.keys.posting! };
  });
  afterAll(() => devnet.stop());

  const balance = async (name: string) => (await client.database.getAccounts([name]))[0].balance;

  async function signedTransfer(overrides: Partial<Transaction> = {}, keys: PrivateKey[] = [treasuryKey], amount = '0.001 STEEM') {
    const props = await client.database.getDynamicGlobalProperties();
    const tx: Transaction = {
      ref_block_num: props.head_block_number & 0xffff,
      ref_block_prefix: Buffer.from(props.head_block_id, 'hex').readUInt32LE(4),
      expiration: new Date(Date.parse(props.time + 'Z') + 60_000).toISOString().slice(0, -5),
      operations: [['transfer', { from: devnet.treasury.name, to: 'alice', amount, memo: '' }]],
      extensions: [],
      ...overrides,
    };
    return cryptoUtils.signTransaction(tx, keys, Buffer.from(devnet.chainId, 'hex'));
  }

  function rpcError(promise: Promise<unknown>) {
    return promise.then(
      () => {
        throw new Error('expected the node to reject the transaction');
      },
      (error: Error & { jse_info?: { name: string; code: number } }) => ({ message: error.message, name: error.jse_info?.name, code: error.jse_info?.code }),
    );
  }

  it('broadcast.transfer succeeds and the balances change exactly', async () => {
    const before = { treasury: await balance(devnet.treasury.name), alice: await balance('alice') };
    const result = await client.broadcast.transfer({ from: devnet.treasury.name, to: 'alice', amount: '12.345 STEEM', memo: 'payout' }, treasuryKey);
    expect(result).toMatchObject({ expired: false, trx_num: 0 });
    expect(result.id).toMatch(/^[0-9a-f]{40}$/);
    expect(before).toEqual({ treasury: '1000000.000 STEEM', alice: '10.000 STEEM' });
    expect(await balance(devnet.treasury.name)).toBe('999987.655 STEEM');
    expect(await balance('alice')).toBe('22.345 STEEM');
    const block = await client.database.getBlock(result.block_num);
    expect(block.transaction_ids).toContain(result.id);
    const found = await client.database.getTransaction({ id: result.id, block_num: result.block_num });
    expect(found.operations[0][0]).toBe('transfer');
  });

  it('transfer_to_vesting turns STEEM into VESTS at the vesting share price', async () => {
    const before = await client.database.getAccounts(['alice']);
    await client.broadcast.sendOperations([['transfer_to_vesting', { from: 'alice', to: 'alice', amount: '1.000 STEEM' }]], PrivateKey.from(aliceKeys.active));
    const [after] = await client.database.getAccounts(['alice']);
    expect(after.balance).toBe('21.345 STEEM');
    // 1.000 STEEM at 176,000,000 VESTS / 100,000 STEEM
    expect(after.vesting_shares).toBe('1760.000000 VESTS');
    expect(before[0].vesting_shares).toBe('0.000000 VESTS');
  });

  it('rejects a wrong key with Missing Active Authority', async () => {
    const error = await rpcError(client.broadcast.send(await signedTransfer({}, [PrivateKey.fromSeed('not the treasury')])));
    expect(error).toMatchObject({ name: 'tx_missing_active_auth', code: 3010000 });
    expect(error.message).toMatch(new RegExp(`^Missing Active Authority ${devnet.treasury.name}`));
  });

  it('rejects a posting key for a transfer (missing authority)', async () => {
    const op = ['transfer', { from: 'alice', to: devnet.treasury.name, amount: '1.000 STEEM', memo: '' }] as const;
    const error = await rpcError(client.broadcast.sendOperations([op as never], PrivateKey.from(aliceKeys.posting)));
    expect(error).toMatchObject({ name: 'tx_missing_active_auth' });
  });

  it('rejects an extra signature and a duplicated signature', async () => {
    const extra = await rpcError(client.broadcast.send(await signedTransfer({}, [treasuryKey, PrivateKey.fromSeed('extra')])));
    expect(extra).toMatchObject({ name: 'tx_irrelevant_sig', code: 3050000, message: 'Unnecessary signature(s) detected' });
    const twice = await rpcError(client.broadcast.send(await signedTransfer({}, [treasuryKey, treasuryKey])));
    expect(twice).toMatchObject({ name: 'tx_duplicate_sig', code: 3060000, message: 'Duplicate Signature detected' });
  });

  it('rejects an expired transaction and one expiring more than an hour ahead', async () => {
    const props = await client.database.getDynamicGlobalProperties();
    const expired = await rpcError(client.broadcast.send(await signedTransfer({ expiration: props.time })));
    expect(expired).toMatchObject({ name: 'transaction_expiration_exception', code: 4030100 });
    expect(expired.message).toContain(`trx.exp=${props.time}`);
    const farAhead = new Date(Date.parse(props.time + 'Z') + 3601_000).toISOString().slice(0, -5);
    const tooLate = await rpcError(client.broadcast.send(await signedTransfer({ expiration: farAhead })));
    expect(tooLate).toMatchObject({ name: 'transaction_expiration_exception' });
    expect(tooLate.message).toContain('max_til_exp=3600');
  });

  it('rejects a bad reference block (TaPoS)', async () => {
    const error = await rpcError(client.broadcast.send(await signedTransfer({ ref_block_prefix: 12345 })));
    expect(error).toMatchObject({ name: 'transaction_tapos_exception', code: 4030200 });
  });

  it('rejects a duplicate until it expires, then rejects it as expired', async () => {
    const tx = await signedTransfer();
    await client.broadcast.send(tx);
    const duplicate = await rpcError(client.broadcast.send(tx));
    expect(duplicate).toMatchObject({ name: 'assert_exception', code: 10 });
    expect(duplicate.message).toMatch(/Duplicate transaction check failed/);
    now += 120_000;
    devnet.produceBlocks(1);
    const later = await rpcError(client.broadcast.send(tx));
    expect(later).toMatchObject({ name: 'transaction_expiration_exception' });
  });

  it('rejects an overdraft with Insufficient STEEM funds and leaves balances untouched', async () => {
    const before = await balance('alice');
    const op = ['transfer', { from: 'alice', to: devnet.treasury.name, amount: '1000.000 STEEM', memo: '' }];
    const error = await rpcError(client.broadcast.sendOperations([op as never], PrivateKey.from(aliceKeys.active)));
    expect(error).toMatchObject({ name: 'assert_exception', code: 10 });
    expect(error.message).toBe('acnt.balance.amount.value >= 0: Insufficient STEEM funds');
    expect(await balance('alice')).toBe(before);
  });

  it('rolls back earlier operations when a later one fails', async () => {
    const before = { treasury: await balance(devnet.treasury.name), alice: await balance('alice') };
    const ops = [
      ['transfer', { from: devnet.treasury.name, to: 'alice', amount: '1.000 STEEM', memo: '' }],
      ['transfer', { from: devnet.treasury.name, to: 'nobody-here', amount: '1.000 STEEM', memo: '' }],
    ];
    const error = await rpcError(client.broadcast.sendOperations(ops as never, treasuryKey));
    expect(error.message).toMatch(/unknown key/);
    expect({ treasury: await balance(devnet.treasury.name), alice: await balance('alice') }).toEqual(before);
  });

  it('validates operations like steemd', async () => {
    const send = (body: Record<string, unknown>) =>
      rpcError(client.broadcast.sendOperations([['transfer', { from: devnet.treasury.name, to: 'alice', memo: '', ...body }] as never], treasuryKey));
    expect((await send({ amount: '0.000 STEEM' })).message).toMatch(/Cannot transfer a negative amount/);
    expect((await send({ amount: '1.000 STEEM', memo: 'x'.repeat(2048) })).message).toMatch(/Memo is too large/);
    expect((await send({ amount: '1.000 STEEM', to: 'Bad_Name' })).message).toMatch(/Account name Bad_Name is invalid/);
  });

  it('creates an account with account_create paid by the creator', async () => {
    const key = PrivateKey.fromSeed('carol').createPublic('STM').toString();
    const authority = { weight_threshold: 1, account_auths: [], key_auths: [[key, 1]] };
    await client.broadcast.sendOperations(
      [
        [
          'account_create',
          { fee: '3.000 STEEM', creator: devnet.treasury.name, new_account_name: 'carol', owner: authority, active: authority, posting: authority, memo_key: key, json_metadata: '' },
        ],
      ] as never,
      treasuryKey,
    );
    const [carol] = await client.database.getAccounts(['carol']);
    expect(carol.active.key_auths).toEqual([[key, 1]]);
    expect(carol.vesting_shares).toBe('5280.000000 VESTS');
  });

  it('answers get_account_history with Steem\'s three-argument rules', async () => {
    const history = await client.call('condenser_api', 'get_account_history', ['alice', -1, 1]);
    expect(history).toHaveLength(2);
    const [[seq, entry]] = history as [number, { op: [string, unknown]; trx_id: string; block: number }][];
    expect(typeof seq).toBe('number');
    expect(entry.trx_id).toMatch(/^[0-9a-f]{40}$/);
    await expect(client.call('condenser_api', 'get_account_history', ['alice', -1, 10, 0, 1])).rejects.toThrow(/Expected #s argument\(s\), was 5/);
    await expect(client.call('condenser_api', 'get_account_history', ['alice', 1, 10])).rejects.toThrow(/start must be greater than limit/);
  });

  it('serves get_dynamic_global_properties, get_config and get_reward_fund', async () => {
    const props = await client.database.getDynamicGlobalProperties();
    expect(props.last_irreversible_block_num).toBe(Math.max(0, props.head_block_number - 15));
    expect(parseInt(props.head_block_id.slice(0, 8), 16)).toBe(props.head_block_number);
    const config = await client.database.getConfig();
    expect(config.STEEM_BLOCK_INTERVAL).toBe(3);
    const fund = await client.call('condenser_api', 'get_reward_fund', ['post']);
    expect(fund.name).toBe('post');
    await expect(client.call('condenser_api', 'no_such_method', [])).rejects.toThrow(/Could not find method no_such_method/);
  });
});
