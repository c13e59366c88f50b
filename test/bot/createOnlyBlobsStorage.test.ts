import { BlobsStorage } from 'botbuilder-azure-blobs';
import { CreateOnlyBlobsStorage } from '../../bot/createOnlyBlobsStorage';
import { isETagConflict } from '../../core/storage/keyValueStore';
import { Azurite } from '../helpers/azurite';

/** The key botbuilder's ConversationState gives a conversation (with a slash and an odd character). */
const CONVERSATION_KEY = 'webchat/conversations/nueva conversación/1';

describe('CreateOnlyBlobsStorage on Azure Blob Storage (Azurite)', () => {
  let azurite: Azurite;
  let container = 0;

  beforeAll(async () => {
    azurite = await Azurite.start();
  }, 60_000);
  afterAll(() => azurite?.stop());

  /** Two instances of the bot's store on one fresh container, and BlobsStorage on the same. */
  function stores(): { a: CreateOnlyBlobsStorage; b: CreateOnlyBlobsStorage; plain: BlobsStorage } {
    const name = `create-only-${++container}`;
    return {
      a: new CreateOnlyBlobsStorage(azurite.connectionString, name),
      b: new CreateOnlyBlobsStorage(azurite.connectionString, name),
      plain: new BlobsStorage(azurite.connectionString, name),
    };
  }

  it('lets one of two instances create a new conversation and gives the other an eTag conflict', async () => {
    const { a, b } = stores();
    expect(await a.read([CONVERSATION_KEY])).toEqual({});
    expect(await b.read([CONVERSATION_KEY])).toEqual({});
    const results = await Promise.allSettled([
      a.write({ [CONVERSATION_KEY]: { answers: ['from a'] } }),
      b.write({ [CONVERSATION_KEY]: { answers: ['from b'] } }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(isETagConflict(lost[0])).toBe(true);
    const winner = results[0].status === 'fulfilled' ? 'from a' : 'from b';
    expect((await b.read([CONVERSATION_KEY]))[CONVERSATION_KEY]).toMatchObject({ answers: [winner] });
  });

  it('refuses a create once another instance created the item after this one read it as absent', async () => {
    const { a, b } = stores();
    await b.read([CONVERSATION_KEY]);
    await a.read([CONVERSATION_KEY]);
    await a.write({ [CONVERSATION_KEY]: { step: 1 } });
    await expect(b.write({ [CONVERSATION_KEY]: { step: 'lost' } })).rejects.toThrow(/due to eTag conflict/);
    // Read again, it writes with the eTag it read, as the turn runner's re-run does.
    const fresh = (await b.read([CONVERSATION_KEY]))[CONVERSATION_KEY];
    await b.write({ [CONVERSATION_KEY]: { step: 2, eTag: fresh.eTag } });
    expect((await a.read([CONVERSATION_KEY]))[CONVERSATION_KEY]).toMatchObject({ step: 2 });
  });

  it('keeps BlobsStorage’s eTags otherwise: "*" overwrites, a stale eTag is refused', async () => {
    const { a, b } = stores();
    await a.read(['k']);
    await a.write({ k: { v: 1 } });
    const first = (await a.read(['k'])).k;
    await b.write({ k: { v: 2, eTag: '*' } });
    await expect(a.write({ k: { v: 3, eTag: first.eTag } })).rejects.toThrow(/due to eTag conflict/);
    // A key this instance never read as absent is written as BlobsStorage writes it.
    await b.write({ k: { v: 4 } });
    expect((await a.read(['k'])).k).toMatchObject({ v: 4 });
  });

  it('reads and writes the same blobs as BlobsStorage, so existing state stays readable', async () => {
    const { a, plain } = stores();
    await plain.write({ [CONVERSATION_KEY]: { name: 'Begoña Ibáñez', eTag: '*' } });
    expect((await a.read([CONVERSATION_KEY]))[CONVERSATION_KEY]).toMatchObject({ name: 'Begoña Ibáñez' });
    await a.read(['users/josé/profile']);
    await a.write({ 'users/josé/profile': { lang: 'es' } });
    expect((await plain.read(['users/josé/profile']))['users/josé/profile']).toMatchObject({ lang: 'es' });
    await a.delete([CONVERSATION_KEY]);
    expect(await plain.read([CONVERSATION_KEY])).toEqual({});
  });
});
