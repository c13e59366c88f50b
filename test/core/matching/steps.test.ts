import { finish, finishInSlices } from '../../../core/matching/steps';
import { QuestionMatcher } from '../../../core/matching/questionMatcher';

const examples = [
  { text: 'does it hurt', label: 'pain' },
  { text: 'is it painful', label: 'pain' },
  { text: 'how much does it cost', label: 'price' },
  { text: 'what is the price', label: 'price' },
  { text: 'how many sessions do I need', label: 'sessions' },
  { text: 'number of treatments', label: 'sessions' },
];

describe('training in steps', () => {
  it('trains the same matcher whether run at once, in steps or in slices', async () => {
    const atOnce = new QuestionMatcher('en', examples);
    const stepped = finish(QuestionMatcher.training('en', examples));
    const sliced = await finishInSlices(QuestionMatcher.training('en', examples), { sliceMs: 0 });
    for (const q of ['will it hurt?', 'price please', 'how many treatments']) {
      expect(stepped.score(q)).toEqual(atOnce.score(q));
      expect(sliced.score(q)).toEqual(atOnce.score(q));
    }
    expect(atOnce.score('will it hurt?').ranked[0].id).toBe('pain');
  });

  it('lets other work run between slices, and stops at the next pause once aborted', async () => {
    let ran = 0;
    const endless = function* () {
      for (;;) {
        ran++;
        yield;
      }
    };
    const stop = new AbortController();
    const running = finishInSlices(endless(), { sliceMs: 0, signal: stop.signal });
    await new Promise((r) => setImmediate(r)); // this test got a turn while the work was under way
    expect(ran).toBeGreaterThan(0);
    stop.abort(new Error('closing'));
    await expect(running).rejects.toThrow('closing');
    const at = ran;
    await new Promise((r) => setImmediate(r));
    expect(ran).toBe(at);
  });
});
