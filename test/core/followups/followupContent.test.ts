import { readContentDir } from '../../../core/content/contentFiles';
import { formatProblem, inspectContentFiles, loadContent } from '../../../core/content/contentLoader';
import { checkInMessages, followupTexts } from '../../../core/followups/followupPlan';
import { LANGS } from '../../../core/text/language';
import { CONTENT_DIR } from '../../helpers/content';

const content = loadContent(CONTENT_DIR);
const { followups } = content;

function problemsWith(change: (text: string) => string): string {
  const files = readContentDir(CONTENT_DIR);
  files['followups.yaml'] = change(files['followups.yaml']);
  return inspectContentFiles(files).problems.map(formatProblem).join('\n');
}

describe('content/followups.yaml', () => {
  it('plans aftercare check-ins on days 1, 3 and 7, in both languages', () => {
    expect(followups.checkIns.map((c) => c.day)).toEqual([1, 3, 7]);
    for (const c of followups.checkIns) expect(c.en.buttons).toHaveLength(c.es.buttons.length);
  });

  it('writes only between 9:00 and 20:00, and plans check-ins inside those hours', () => {
    expect(followups.sendingHours).toEqual({ from: '09:00', to: '20:00' });
    expect(followups.sendAt >= '09:00' && followups.sendAt < '20:00').toBe(true);
  });

  it('never tells a patient they are safe or what they have, and always says how to reach the clinic', () => {
    for (const lang of LANGS) {
      for (const c of followups.checkIns) {
        const [message] = checkInMessages(content, c.day, lang) ?? [];
        expect(message.text).not.toMatch(
          /you are safe|you're safe|estás a salvo|no es nada|it's nothing|you have an? /i,
        );
        expect(message.text).toContain(content.clinic.phone);
        expect(message.text).toMatch(/clinician|profesional sanitario/);
        expect(message.buttons?.at(-1)).toBe(followups.optOut.button[lang]);
      }
      const texts = followupTexts(content, lang);
      for (const text of [texts.confirmed, texts.declined, texts.optOutConfirmed]) {
        expect(text).toContain(content.clinic.phone);
      }
    }
  });

  it('reports two check-ins on the same day', () => {
    expect(problemsWith((t) => t.replace('day: 3', 'day: 1'))).toMatch(
      /followups\.yaml:\d+ \(checkIns → "day-3" → day\): two check-ins on day 1/,
    );
  });

  it('reports a placeholder that is not a clinic detail', () => {
    expect(
      problemsWith((t) => t.replace('call {{phone}}, and a clinician', 'call {{phoneNumber}}, and a clinician')),
    ).toMatch(/followups\.yaml:\d+ .*unknown placeholder \{\{phoneNumber\}\}/);
  });

  it('reports a planned time outside the sending hours', () => {
    expect(problemsWith((t) => t.replace('sendAt: "10:00"', 'sendAt: "21:00"'))).toMatch(
      /followups\.yaml:\d+ \(sendAt\): sendAt must lie within the sending hours/,
    );
  });
});
