import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, detectLanguage, getClassifier, ruleClassifier, setClassifier, type Analysis, type Classifier } from './analyze.js';

const minutes = (text: string, lang?: string) => {
  const a = analyze(text, lang ? { lang } : undefined);
  assert.equal(a.wait.complaint, true, `no wait claim found in: ${text}`);
  return a.wait.minutes;
};

test('durations: digits and number words in en, de and nb, units from minutes to weeks', () => {
  const cases: [string, number][] = [
    ['Ich habe zwanzig Minuten gewartet.', 20],
    ['Jeg har ventet i tjue minutter.', 20],
    ['I have been waiting for twenty minutes.', 20],
    ['Ich warte seit fünfundvierzig Minuten in der Warteschleife.', 45],
    ['Har ventet i tjuefem minutter nå.', 25],
    ['Har ventet i fem og tjue minutter.', 25],
    ['I was on hold for twenty-five minutes.', 25],
    ['Jeg ventet i halvannen time.', 90],
    ['Ich hing eine halbe Stunde in der Warteschleife.', 30],
    ['Seit einer halben Stunde in der Leitung.', 30],
    ['Ich habe anderthalb Stunden gewartet.', 90],
    ['Ich habe zweieinhalb Stunden gewartet.', 150],
    ['On hold for an hour and a half.', 90],
    ['I waited one and a half hours.', 90],
    ['Jeg ventet i to og en halv time.', 150],
    ['Two weeks and still no reply to my email.', 20160],
    ['Seit 3 Tagen keine Antwort.', 4320],
    ['Waiting 1.5 hours on the phone.', 90],
    ['Ich habe 1,5 Stunden gewartet.', 90],
    ['Jeg venta i en halvtime.', 30],
    ['Satt i telefonkø i en time og et kvarter.', 75],
    ['Ich warte seit einer Viertelstunde.', 15],
  ];
  for (const [text, m] of cases) assert.equal(minutes(text), m, text);
});

test('hedges keep the stated number: über, mehr als, over, i over, more than', () => {
  assert.equal(minutes('Ich habe über zwanzig Minuten gewartet!'), 20);
  assert.equal(minutes('Ich habe mehr als 30 Minuten gewartet.'), 30);
  assert.equal(minutes('Jeg ventet i over ti minutter.'), 10);
  assert.equal(minutes("I've been waiting over an hour in the queue."), 60);
  assert.equal(minutes('I waited more than 2 hours.'), 120);
  assert.equal(minutes('Jeg har ventet om lag to timer.'), 120);
});

test('negated waits are not claims', () => {
  for (const text of ['Ich musste gar nicht warten.', 'Ich musste überhaupt nicht warten, vielen Dank!', 'Jeg slapp å vente.',
    'Jeg trengte ikke å vente i det hele tatt.', 'I did not have to wait.', "I didn't have to wait long at all.", 'I did NOT have to wait at all, great service!']) {
    const a = analyze(text);
    assert.equal(a.wait.complaint, false, text);
    assert.equal(a.wait.minutes, null, text);
  }
  // …but "can't wait any longer" is one.
  assert.equal(minutes("I can't wait any longer, it's been 40 minutes!"), 40);
});

test('future times are not claims, and are not taken as the claimed minutes', () => {
  for (const text of ['Mein Zug fährt in zwei Stunden.', 'Flyet går om tre timer.', 'My flight leaves in 3 hours.', 'How long does delivery take, about two weeks?',
    'Wie lange dauert die Lieferung, etwa zehn Tage?', 'Kan dere ringe meg om en halvtime?', "I'll be waiting for your call."]) {
    assert.equal(analyze(text).wait.complaint, false, text);
  }
  const a = analyze('Ich warte seit 25 Minuten, mein Flug geht in einer Stunde!');
  assert.equal(a.wait.minutes, 25);
  assert.equal(a.urgency, 'travel');
});

test('wait claims without a stated duration', () => {
  for (const text of ['I sent an email on Monday and nobody has replied.', 'Ich warte seit Ewigkeiten auf einen Rückruf.', 'Ingen har svart på meldingen min.']) {
    const a = analyze(text);
    assert.equal(a.wait.complaint, true, text);
    assert.equal(a.wait.minutes, null, text);
  }
});

test('evidence spans are offsets into the input text', () => {
  const text = 'Hallo. Ich habe über zwanzig Minuten in der Warteschleife gehangen, mein Vater ist gestern verstorben. Du Idiot, ich weiß, wo du wohnst.';
  const a = analyze(text);
  for (const s of [a.wait.evidence, a.urgencyEvidence, a.abuseEvidence, a.threatEvidence]) {
    assert.ok(s, 'every finding has evidence');
    assert.equal(text.slice(s.start, s.end), s.text);
  }
  assert.match(a.wait.evidence!.text, /zwanzig Minuten/);
  assert.equal(a.urgency, 'bereavement');
  assert.match(a.urgencyEvidence!.text, /verstorben/);
  assert.equal(a.abuse, 'abuse');
  assert.equal(a.threat, true);
  assert.ok(a.wait.confidence > 0 && a.wait.confidence <= 1 && a.confidence > 0 && a.confidence <= 1);
});

test('criticism of the company or product, however harsh or profane, is never abuse', () => {
  for (const text of ['Your product is garbage.', 'Die App ist echt scheiße.', 'Dere er elendige.', 'This app is shit, fix your damn billing already.',
    'Euer Kundenservice ist eine Katastrophe, absolut inkompetent.', 'Denne appen er faen meg helt håpløs.', 'Worst customer service ever, you people are a joke.',
    'You are useless, all of you.', 'Ihr seid unfähig.', 'Dere er noe dritt.']) {
    assert.equal(analyze(text).abuse, 'criticism', text);
  }
  for (const text of ['You are an idiot.', 'Shut up, you stupid bitch.', 'Du bist ein Vollidiot.', 'Halt die Klappe, du dumme Kuh.', 'Du er en idiot.', 'Hold kjeft, din jævla idiot.']) {
    assert.equal(analyze(text).abuse, 'abuse', text);
  }
  assert.equal(analyze('Thanks, the agent was really helpful.').abuse, 'none');
});

test('urgency from human circumstances, and none from figures of speech', () => {
  const cases: [string, Analysis['urgency']][] = [
    ['My father passed away last week.', 'bereavement'],
    ['Moren min døde i går.', 'bereavement'],
    ['Meine Frau liegt im Krankenhaus.', 'medical'],
    ['Sønnen min er akutt syk.', 'medical'],
    ['I need to rebook my flight, it leaves in 3 hours.', 'travel'],
    ['Flyet mitt går om to timer.', 'travel'],
    ['My visa appointment is tomorrow.', 'deadline'],
    ['Es riecht nach Gas seit der Installation.', 'safety'],
    ["I'm dying to try the new version!", null],
    ['I booked a flight with you last year.', null],
  ];
  for (const [text, u] of cases) assert.equal(analyze(text).urgency, u, text);
});

test('language: en, de, nb; others reported as themselves or und, never forced into the three', () => {
  assert.equal(detectLanguage('I was on hold for 45 mins and nobody picked up.').lang, 'en');
  assert.equal(detectLanguage('Ich habe über zwanzig Minuten gewartet!').lang, 'de');
  assert.equal(detectLanguage('Jeg har ventet i tre uker på svar fra dere.').lang, 'nb');
  assert.equal(detectLanguage('Jeg har ventet i over en time, det er helt uacceptabelt.').lang, 'da');
  assert.equal(detectLanguage('Jag har väntat i två timmar på svar.').lang, 'sv');
  assert.equal(detectLanguage("J'ai attendu plus de vingt minutes, c'est inadmissible.").lang, 'fr');
  assert.equal(detectLanguage('He esperado dos horas y todavía no hay respuesta.').lang, 'es');
  assert.equal(detectLanguage('ok').lang, 'und');
  assert.equal(detectLanguage('12345 !!!').lang, 'und');
  // A hint wins (and 'no'/'nb-NO' mean Bokmål).
  assert.equal(analyze('Hold kjeft.', { lang: 'nb-NO' }).lang, 'nb');
  assert.equal(analyze('Hold kjeft, din dust.', { lang: 'no' }).abuse, 'abuse');
  assert.equal(analyze('I waited 10 minutes', { lang: 'en' }).wait.minutes, 10);
});

test('sentiment and frustration', () => {
  const pos = analyze('Thanks, the agent was really helpful and quick.');
  assert.equal(pos.sentiment, 'pos');
  assert.equal(pos.frustration, 0);
  const neg = analyze("I've been waiting over an hour in the queue, this is ridiculous!!");
  assert.equal(neg.sentiment, 'neg');
  assert.ok(neg.frustration >= 0.5 && neg.frustration <= 1);
  assert.equal(analyze('Wie lange dauert die Lieferung?').sentiment, 'neu');
});

test('the classifier can be swapped without touching callers', () => {
  const stub: Classifier = { name: 'stub', analyze: (text, hint) => ({ ...ruleClassifier.analyze(text, hint), lang: 'xx' }) };
  assert.equal(getClassifier().name, 'rules');
  setClassifier(stub);
  try { assert.equal(analyze('hello there, thanks').lang, 'xx'); } finally { setClassifier(ruleClassifier); }
  assert.equal(getClassifier(), ruleClassifier);
});
