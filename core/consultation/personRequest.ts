import { normalizeText } from '../text/normalize';

/** Who a patient may ask for: a person, or someone at the clinic by role. */
const WHO_EN =
  '(a |an |the |some |one of the |your |to )?(real |actual |live |human )?' +
  '(person|people|human|humans|human being|someone|somebody|anyone|anybody|agent|representative|rep|operator|' +
  'staff|staff member|reception|receptionist|front desk|nurse|doctor|dr|clinician|practitioner|' +
  'dermatologist|member of staff|team)';
const WHO_ES =
  '(a |al |a la |con |una |un |el |la |alguna |algun )*(persona|personas|humano|humana|alguien|agente|' +
  'operador|operadora|recepcion|recepcionista|enfermera|enfermero|doctor|doctora|medico|medica|especialista|' +
  'dermatologo|dermatologa|profesional|personal|equipo)( real| de verdad| de la clinica)?';

/**
 * "Talk to a person", "can I speak with a nurse?", "quiero hablar con alguien": a request for a
 * person at the clinic, in either language. Questions about the procedure that mention a person
 * ("is the doctor the one who does it?") are not requests; they need a verb of talking or an ask.
 */
const REQUEST = new RegExp(
  [
    // English: talk / speak / chat with someone, put me through to, connect me with, get me a…
    `\\b(talk|speak|chat|speaking|talking|chatting)( directly)? (to|with) ${WHO_EN}\\b`,
    `\\b(put me through|transfer me|connect me|pass me|hand me over) (to|with) ${WHO_EN}\\b`,
    `\\b(get|give) me (a|an|the|some) (real )?(person|human|agent|nurse|doctor|representative)\\b`,
    `\\b(is there|are there|can i get|can i have|i need|i want|i d like|i would like) ${WHO_EN} ` +
      `(i can|to) (talk|speak|chat)\\b`,
    `^(a |an )?(real |live )?(person|human|agent|representative|operator|nurse)( please)?$`,
    `^(i need|i want|i d like) (a |an )?(real |live )?(person|human|agent|representative|nurse)( please| now)?$`,
    `\\bnot (a|this|the) (bot|robot|machine|chatbot)\\b`,
    // Spanish: hablar / conversar / comunicarme con alguien, pasarme con, atención humana, persona real
    `\\b(hablar|conversar|comunicarme|charlar|platicar|hablo|habla)( directamente)? (con|a) ${WHO_ES}\\b`,
    `\\b(pasame|pasarme|paseme|comunicame|comuniqueme|ponme|pongame|conectame|conecteme) (con|a|al|a la) ${WHO_ES}\\b`,
    `\\batencion (humana|personal|personalizada)\\b`,
    `\\b(persona|humano) (real|de verdad)\\b`,
    `^(una )?(persona|humano|agente|operador|enfermera)( por favor)?$`,
    `\\bno (un|con un|con el|con este) (bot|robot|chatbot|maquina)\\b`,
  ].join('|'),
);

/** Whether the message asks to talk to a person at the clinic. */
export function asksForPerson(text: string): boolean {
  return REQUEST.test(normalizeText(text));
}
