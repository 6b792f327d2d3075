import type { LangPack } from './types.js';

const FAMILY = '(?:far|faren|mor|moren|pappa|pappaen|mamma|mammaen|mann|mannen|kona|kone|konen|sønn|sønnen|datter|datteren|dattera|bror|broren|søster|søsteren|bestefar|bestemor|farfar|farmor|morfar|mormor|samboer|samboeren|onkel|tante|venn|venninne|barn|barnet|babyen)';

export const nb: LangPack = {
  code: 'nb',
  numbers: {
    en: 1, ei: 1, et: 1, ett: 1, én: 1, to: 2, tre: 3, fire: 4, fem: 5, seks: 6, sju: 7, syv: 7, åtte: 8, ni: 9, ti: 10,
    elleve: 11, tolv: 12, tretten: 13, fjorten: 14, femten: 15, seksten: 16, sytten: 17, atten: 18, nitten: 19,
    tjue: 20, tyve: 20, tretti: 30, tredve: 30, førti: 40, femti: 50, seksti: 60, sytti: 70, åtti: 80, nitti: 90, hundre: 100, 'et hundre': 100,
    halvannen: 1.5, halvannet: 1.5, 'et par': 2, par: 2, 'en og en halv': 1.5,
  },
  compounds: {
    tens: { tjue: 20, tyve: 20, tretti: 30, førti: 40, femti: 50, seksti: 60, sytti: 70, åtti: 80, nitti: 90 },
    units: { en: 1, ett: 1, to: 2, tre: 3, fire: 4, fem: 5, seks: 6, sju: 7, syv: 7, åtte: 8, ni: 9 },
    templates: ['{t}{u}', '{u} og {t}'],
  },
  units: {
    sek: 1 / 60, sekund: 1 / 60, sekunder: 1 / 60, sekunda: 1 / 60,
    min: 1, minutt: 1, minutter: 1, minuttet: 1, minuttene: 1, 'min.': 1,
    time: 60, timer: 60, timen: 60, timene: 60, halvtime: 30, halvtimen: 30, halvtimer: 30, kvarter: 15, kvarteret: 15,
    dag: 1440, dager: 1440, døgn: 1440, dagen: 1440, dagene: 1440,
    uke: 10080, uker: 10080, uka: 10080, uken: 10080, ukene: 10080,
    måned: 43200, måneder: 43200, måneden: 43200,
  },
  halfAfterNumber: [' og en halv', ' og ei halv', ' og et halvt'],
  halfAfterUnit: [' og en halv', ' og et halvt'],
  fixedDurations: [['en halv time', 30], ['ei halv time', 30], ['halv time', 30], ['tre kvarter', 45]],
  approx: ['over', 'mer enn', 'om lag', 'omtrent', 'ca\\.?', 'cirka', 'rundt', 'nesten', 'minst', 'godt over', 'drøyt', 'bortimot', 'snart', 'under', 'mindre enn', 'hele', 'i hele', 'i godt over'],
  durationJoin: ['og', ','],
  futureBefore: ['om', 'innen', 'i løpet av', 'om ca\\.?', 'om cirka', 'om omtrent', 'om bare', 'tar', 'tar ca\\.?', 'tar omtrent', 'tar rundt'],
  futureAfter: ['fra nå'],
  wait: {
    verbs: ['vente', 'venter', 'ventet', 'venta', 'ventende'],
    phrases: [
      'i kø', 'i køen', 'telefonkø(?:en)?', 'står i kø', 'stått i kø', 'kø(?:en)?', 'ventetid', 'ventemusikk',
      'ingen svar', 'ikke (?:fått|mottatt|hørt) (?:noe )?(?:svar|tilbakemelding|noe)', 'ikke hørt noe', 'fortsatt ingen', 'fremdeles ingen', 'ingen (?:har )?(?:svart|ringt tilbake|tatt telefonen)',
      'ingen tok telefonen', 'ingen tilbakemelding', 'aldri (?:svart|ringt tilbake|fått svar)', 'tok dere [^.!?]{0,30}å svare', 'før noen svarte', 'før noen tok',
      'fortsatt ikke (?:fått|hørt)', 'kommer ikke gjennom', 'kom ikke gjennom', 'får ikke tak i (?:noen|dere)', 'umulig å (?:nå|komme gjennom|få tak i)', 'i evigheter', 'en evighet',
    ],
  },
  deliveryWait: ['på (?:bestillingen|bestillinga|ordren|pakken|pakka|leveransen|leveringen|sendingen|forsendelsen|varen|varene|refusjonen|tilbakebetalingen|pengene|erstatningen|reparasjonen|kreditten|kreditnotaen)(?: min| mine| vår| våre)?',
    'på (?:min|mi|mitt|mine|vår|våre) (?:bestilling|ordre|pakke|levering|leveranse|sending|vare|varer|refusjon|tilbakebetaling|penger|erstatning|reparasjon)',
    'på at (?:bestillingen|pakken|varen|varene|pengene|refusjonen) skulle? (?:komme|bli levert|bli sendt)'],
  negations: ['ikke', 'aldri', 'ingen', 'uten', 'slapp', 'slapp å', 'trengte ikke', 'knapt', 'nesten ikke'],
  negationBreakers: ['lenger', 'mer'],
  futureWait: ['skal vente', 'kan vente', 'venter gjerne', 'kommer til å vente', 'vil vente'],
  soon: ['i dag', 'i kveld', 'i natt', 'i morgen', 'i ettermiddag', 'nå', 'straks', 'snart', 'haster', 'med en gang', 'om (?:en|ei|et|\\d+|to|tre|fire|fem|noen|få) (?:minutt(?:er)?|time(?:r)?|dag(?:er)?)', 'går', 'reiser', 'skal fly', 'avgang', 'innen (?:mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|i morgen|i dag)'],
  urgency: {
    bereavement: {
      strong: ['gikk bort', 'gått bort', 'begravelse(?:n)?', 'bisettelse(?:n)?', 'dødsfall(?:et)?', 'dødsattest', 'dødsbo(?:et)?', 'avdøde', 'avdød',
        `${FAMILY} [\\p{L} ]{0,25}(?:døde|er død|døde i|omkom)`, 'har dødd', 'døde'],
    },
    medical: {
      strong: ['sykehus(?:et)?', 'legevakt(?:a|en)?', 'ambulanse(?:n)?', 'akuttmottak(?:et)?', 'intensiv(?:en|avdelingen)?', 'operasjon(?:en)?', 'operert', 'cellegift', 'kreft', 'hjerteinfarkt', 'slag',
        'insulin', 'diabetes', 'diabetiker', 'resept(?:en)?', 'medisin(?:en|er|ene)?', 'alvorlig syk', 'veldig syk', 'akutt syk', 'høy feber', 'feber', 'nødsituasjon', 'fødsel', 'gravid', 'dialyse', 'sterke smerter', 'smerter', 'rullestol', 'funksjonshemmet', 'epilep\\p{L}*', 'oksygen'],
    },
    travel: {
      strong: ['boarding', 'flyet går (?:om|i|nå)', 'toget går (?:om|i|nå)'],
      weak: ['fly', 'flyet', 'flyene', 'tog', 'toget', 'ferja', 'ferga', 'fergen', 'ferge', 'flyplass(?:en)?', 'gardermoen', 'avgang(?:en)?', 'reise(?:n)?', 'innsjekking'],
    },
    deadline: {
      strong: ['\\p{L}*frist(?:en)?', 'går ut (?:i dag|i morgen)', 'siste dag', 'forfaller (?:i dag|i morgen)'],
      weak: ['time hos', 'intervju(?:et)?', 'jobbintervju(?:et)?', 'eksamen', 'retten', 'rettssak(?:en)?', 'visum', 'søknad(?:en)?', 'levere', 'skattemelding(?:en)?', 'bryllup(?:et)?'],
    },
    safety: {
      strong: ['lukter gass', 'gasslekkasje', 'kullos', 'røyk', 'ryker', 'brann', 'brenner', 'lukter brent', 'gnister', 'strømstøt', 'eksploderte', 'farlig', 'fare', 'ikke trygt', 'utrygg', 'overopphet\\p{L}*', 'smeltet', 'forfølger', 'vold i hjemmet'],
    },
  },
  insults: ['idiot', 'idioter', 'idioten', 'dust', 'dusten', 'tulling', 'kødd', 'kødda', 'drittsekk', 'rasshøl', 'rævhøl', 'hore', 'fitte', 'kuk', 'kukhue', 'pikkhue', 'pikk', 'fjols', 'tosk', 'nek', 'dritt(?:unge|kjerring)', 'kjerring', 'dumme kjerring', 'idiot', 'tufs', 'fjompenisse', 'taper', 'svin', 'gris', 'jævel', 'faen i helvete'],
  addressees: ['du', 'din', 'ditt', 'dine', 'deg', 'dere', 'dykk', '(?:kundebehandleren|kundebehandler|medarbeideren|rådgiveren|agenten|damen|mannen|fyren)(?: deres| din)?', 'hun', 'han', 'hør her'],
  abusePhrases: ['hold kjeft', 'hold munn', 'faen ta deg', 'faen ta dere', 'dra til helvete', 'drit og dra', 'fuck deg', 'fuck dere', 'stikk av', 'mongo'],
  criticism: ['søppel', 'skrot', 'dritt', 'drittapp', 'drit\\p{L}*', 'elendig(?:e)?', 'ubrukelig(?:e)?', 'håpløs(?:e|t)?', 'inkompetent(?:e)?', 'verste', 'katastrofe', 'katastrofal(?:e|t)?', 'svindel', 'svindlere', 'faen', 'fy faen',
    'jævla', 'jævlig', 'helvetes', 'pinlig', 'skandale', 'burde skamme seg', 'et vitsa', 'en vits', 'vitsete', 'tyver', 'kjeltringer', 'amatører', 'amatørmessig', 'latterlig dårlig', 'kjip(?:e)?', 'møkk\\p{L}*'],
  threats: ['vet hvor du bor', 'finne (?:ut )?hvor du bor', 'skal (?:finne|ta|drepe|banke|knuse|slå) (?:deg|dere)', 'dreper (?:deg|dere)', 'drepe (?:deg|dere)', 'banke (?:deg|dere)', 'knuse (?:deg|dere)',
    'du skal få (?:svi|angre)', '(?:kommer til å|skal) angre', 'pass deg', 'se deg over skulderen', 'brenne ned', 'juling', '(?:skal få|får) bank', 'knuse (?:butikken|kontoret|alt)', 'vet hvor (?:kontoret|dere) (?:er|holder til)'],
  positive: ['takk', 'tusen takk', 'supert?', 'flott', 'bra', 'god hjelp', 'rask(?:t)?', 'hjelpsom(?:me)?', 'kjempeflink(?:e)?', 'kjempebra', 'perfekt', 'fantastisk', 'strålende', 'fornøyd', 'hyggelig', 'gleder meg'],
  negative: ['fortsatt', 'fremdeles', 'ingen', 'aldri', 'uakseptabelt', 'frekt', 'sint', 'irritert', 'skuffet', 'feil', 'ødelagt', 'borte', 'virker ikke', 'fungerer ikke', 'ingenting fungerer', 'ikke fått', 'ikke kommet', 'problem', 'klage', 'advokat', 'forbrukerrådet', 'lei av', 'sperret', 'ikke registrert'],
  intensifiers: ['uakseptabelt', 'latterlig', 'utrolig', 'skandale', 'lei av', 'dritlei', 'nok nå', 'helt', 'så lei'],
};
