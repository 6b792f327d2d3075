import type { LangPack } from './types.js';

const FAMILY = '(?:vater|mutter|papa|mama|mann|ehemann|frau|ehefrau|sohn|tochter|bruder|schwester|opa|oma|großvater|großmutter|grossvater|grossmutter|partner(?:in)?|onkel|tante|freund(?:in)?|kind|baby|schwiegervater|schwiegermutter|verlobte[rn]?)';

export const de: LangPack = {
  code: 'de',
  numbers: {
    ein: 1, eine: 1, einer: 1, einem: 1, einen: 1, eins: 1, zwei: 2, drei: 3, vier: 4, fünf: 5, sechs: 6, sieben: 7, acht: 8, neun: 9, zehn: 10,
    elf: 11, zwölf: 12, dreizehn: 13, vierzehn: 14, fünfzehn: 15, sechzehn: 16, siebzehn: 17, achtzehn: 18, neunzehn: 19,
    zwanzig: 20, dreißig: 30, dreissig: 30, vierzig: 40, fünfzig: 50, sechzig: 60, siebzig: 70, achtzig: 80, neunzig: 90, hundert: 100, einhundert: 100,
    anderthalb: 1.5, eineinhalb: 1.5, einundhalb: 1.5, zweieinhalb: 2.5, dreieinhalb: 3.5, viereinhalb: 4.5, paar: 2, 'ein paar': 2,
  },
  compounds: {
    tens: { zwanzig: 20, dreißig: 30, dreissig: 30, vierzig: 40, fünfzig: 50, sechzig: 60, siebzig: 70, achtzig: 80, neunzig: 90 },
    units: { ein: 1, zwei: 2, drei: 3, vier: 4, fünf: 5, sechs: 6, sieben: 7, acht: 8, neun: 9 },
    templates: ['{u}und{t}'],
  },
  units: {
    sek: 1 / 60, sekunde: 1 / 60, sekunden: 1 / 60,
    min: 1, minute: 1, minuten: 1, 'min.': 1,
    std: 60, 'std.': 60, stunde: 60, stunden: 60, h: 60,
    tag: 1440, tage: 1440, tagen: 1440, tags: 1440,
    woche: 10080, wochen: 10080, monat: 43200, monate: 43200, monaten: 43200, monats: 43200,
    viertelstunde: 15, viertelstunden: 15, dreiviertelstunde: 45,
  },
  halfAfterNumber: ['einhalb'],
  halfAfterUnit: [' und eine halbe', ' und ein halb'],
  fixedDurations: [['(?:eine|einer|einen) halbe[nr]? stunde', 30], ['halbe[nr]? stunde', 30], ['(?:eine|einer) dreiviertel stunde', 45], ['(?:eine|einer) viertel stunde', 15]],
  approx: ['über', 'mehr als', 'etwa', 'ungefähr', 'ca\\.?', 'circa', 'rund', 'fast', 'knapp', 'beinahe', 'gut', 'gute', 'guten', 'mindestens', 'weit über', 'weniger als', 'bestimmt'],
  durationJoin: ['und', ','],
  futureBefore: ['in', 'innerhalb', 'innerhalb von', 'in etwa', 'in ca\\.?', 'in knapp', 'in weniger als', 'dauert', 'dauert etwa', 'dauert ca\\.?', 'binnen'],
  futureAfter: ['später'],
  wait: {
    verbs: ['warte', 'warten', 'wartet', 'wartete', 'warteten', 'gewartet', 'wartend'],
    phrases: [
      'warteschleife', 'warteschleifen\\p{L}*', 'wartemusik', 'in der leitung', '(?:niemanden|keinen) (?:zu )?erreich\\p{L}*', 'jemanden zu erreichen', 'komme nicht durch', 'nicht durchgekommen', 'versuche seit', 'in der schleife', 'warteschlange', 'ewig gewartet',
      'keine (?:antwort|rückmeldung|reaktion|nachricht|rückantwort)', 'kein rückruf', 'keinen rückruf', 'keine e-mail zurück',
      '(?:noch )?immer (?:noch )?(?:keine|kein|keinen) (?:antwort|rückmeldung|reaktion|nachricht|rückruf|e-mail)', 'noch nichts gehört', 'nichts (?:mehr )?gehört', 'niemand (?:geht|ging) ran', 'niemand (?:antwortet|hat geantwortet|meldet sich|hat sich gemeldet|ruft zurück)',
      'geht keiner ran', 'ging keiner ran', 'meldet sich (?:keiner|niemand)', 'nie zurückgerufen', 'nie geantwortet', 'bis (?:jemand|endlich jemand) (?:rangeht|ranging|antwortet)',
      'seit ewigkeiten', 'ewigkeiten',
    ],
  },
  deliveryWait: ['auf (?:die|meine|meinen|mein|das|den|unsere|unser|unseren|eine|einen|ihre|ihren|eure|euren) (?:\\p{L}+ )?(?:bestellung|lieferung|paket|päckchen|sendung|rückerstattung|erstattung|rückzahlung|geld|ersatz|ersatzteil|reparatur|ware|gutschrift|entschädigung)',
    'bis (?:die|meine|mein|das|der) (?:bestellung|lieferung|paket|sendung|ware|erstattung) (?:ankommt|kommt|da ist|geliefert)'],
  negations: ['nicht', 'nie', 'kein', 'keine', 'ohne', 'kaum', 'gar nicht', 'überhaupt nicht', 'niemals'],
  negationBreakers: ['nicht (?:mehr )?länger', 'nicht mehr'],
  futureWait: ['ich werde warten', 'werde (?:gerne )?warten', 'kann warten', 'warte gerne', 'warten gerne'],
  soon: ['heute', 'morgen', 'heute abend', 'heute nacht', 'gleich', 'sofort', 'dringend', 'in (?:einer|\\d+|zwei|drei|vier|fünf|wenigen) (?:minuten|stunden?|tagen?)', 'geht', 'fährt', 'abflug', 'bis (?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|morgen|heute)'],
  urgency: {
    bereavement: {
      strong: ['verstorben', 'verstorbene[nrm]?', 'beerdigung', 'trauerfeier', 'beisetzung', 'todesfall', 'trauerfall', 'sterbeurkunde', 'sterbefall', 'nachlass',
        `${FAMILY} [\\p{L} ]{0,25}(?:gestorben|verstorben|tot)`, 'ist gestorben', 'sind gestorben', 'von uns gegangen', 'verstarb', 'verschieden'],
    },
    medical: {
      strong: ['krankenhaus', 'klinik', 'notaufnahme', 'notarzt', 'krankenwagen', 'rettungswagen', 'intensivstation', 'operation', 'operiert', 'chemo(?:therapie)?', 'krebs', 'herzinfarkt', 'schlaganfall',
        'insulin', 'diabetes', 'diabetiker(?:in)?', 'rezept', 'medikamente?n?', 'schwer krank', 'sehr krank', 'hohes fieber', 'fieber', 'notfall', 'in den wehen', 'schwanger', 'dialyse\\p{L}*', 'starke schmerzen', 'schmerzen', 'rollstuhl', 'behindert\\p{L}*', 'epilep\\p{L}*', 'sauerstoff'],
    },
    travel: {
      strong: ['abflug (?:ist )?(?:heute|morgen|in)', 'boarding'],
      weak: ['flug', 'flieger', 'flugzeug', 'zug', 'fähre', 'flughafen', 'fliege', 'fliegt', 'fliegen', 'reise', 'abflug', 'check-in', 'bahn'],
    },
    deadline: {
      strong: ['\\p{L}*frist', 'deadline', 'läuft (?:heute|morgen) ab', 'letzter tag', 'fällig (?:heute|morgen)'],
      weak: ['termin', 'vorstellungsgespräch', 'prüfung', 'gericht', 'visum', 'einreichen', 'abgeben', 'antrag', 'steuererklärung', 'hochzeit', 'notartermin'],
    },
    safety: {
      strong: ['riecht nach gas', 'gasgeruch', 'gasleck', 'kohlenmonoxid', 'rauch', 'qualmt', 'gequalmt', 'raucht', 'brennt', 'brand', 'feuer', 'funken', 'funkt', 'stromschlag', 'explodiert',
        'gefährlich', 'gefahr', 'nicht sicher', 'überhitzt', 'geschmolzen', 'stalker', 'häusliche gewalt', 'heiß geworden'],
    },
  },
  insults: ['idiot', 'idioten', 'vollidiot', 'vollidioten', 'depp', 'trottel', 'arschloch', 'arschlöcher', 'wichser', 'hurensohn', 'schlampe', 'fotze', 'miststück', 'drecksau', 'sau', 'schwein',
    'tussi', 'dumme kuh', 'blöde kuh', 'dumme gans', 'blöde gans', 'penner', 'spacko', 'vollpfosten', 'dummkopf', 'hohlkopf', 'versager', 'flachwichser', 'opfer', 'bastard', 'dreckskerl', 'affe'],
  addressees: ['du', 'sie', 'ihr', 'dich', 'dir', 'euch', 'ihr (?:mitarbeiter|berater|kollege)', 'ihre (?:mitarbeiterin|beraterin|kollegin)', '(?:der|die|ihr|ihre|euer|eure) (?:mitarbeiter|mitarbeiterin|berater|beraterin|agent|typ|frau|mann|dame)', 'hör zu', '(?:die|der) \\p{L}+ (?:am telefon|an der hotline|im chat)'],
  abusePhrases: ['halt die klappe', 'halt(?:et)? den mund', 'halt(?:s)? maul', 'fick dich', 'fickt euch', 'verpiss dich', 'leck mich', 'fahr zur hölle', 'geh sterben', 'schwuchtel', 'spast(?:i)?', 'mongo'],
  criticism: ['schrott', 'mist', 'müll', 'scheiße', 'scheisse', 'scheiß\\p{L}*', 'scheiss\\p{L}*', 'beschissen', 'katastrophe', 'katastrophal', 'inkompetent', 'unfähig', 'nutzlos', 'unbrauchbar', 'schlechteste[nrs]?',
    'ein witz', 'ein (?:schlechter|schlechten|schlechte) witz', 'witzlos', 'betrüger', 'verbrecher', 'amateure', 'stümper', 'dilettanten', 'abzocke', 'abzocker', 'miserabel', 'grottig', 'grottenschlecht', 'unterirdisch', 'armselig', 'erbärmlich', 'verdammte?[nrs]?', 'sollte sich schämen', 'saftladen', 'chaos', 'totaler reinfall'],
  threats: ['ich (?:bring|bringe) (?:dich|sie|euch) um', 'weiß,? wo (?:du|sie|ihr) wohn\\p{L}*', 'weiß,? wo (?:euer|ihr) büro', 'pass (?:bloß |bloss )?auf', '(?:wirst|werden) es bereuen',
    'mach(?:e)? (?:dich|sie|euch) fertig', 'schlag(?:e)? (?:dich|sie|euch)', 'zünde [\\p{L} ]{0,20}an', 'abstechen', 'umbringen', 'dir was antun', 'ihnen was antun', 'kurz und klein', '(?:mache|mach) (?:alles|euren laden|den laden) kaputt', 'zünde (?:euch|den laden|alles) an'],
  positive: ['danke', 'vielen dank', 'dankeschön', 'super', 'toll', 'prima', 'klasse', 'schnelle[nrs]?', 'super schnell', 'hilfreich', 'freundlich\\p{L}*', 'perfekt', 'großartig', 'hervorragend', 'zufrieden', 'gut', 'lieb', 'freue mich', 'freu mich'],
  negative: ['immer noch', 'noch immer', 'niemand', 'nie', 'frechheit', 'unverschämt', 'ärgerlich', 'verärgert', 'enttäuscht', 'falsch', 'kaputt', 'defekt', 'verschwunden', 'funktioniert nicht', 'nicht angekommen', 'keine', 'problem', 'beschwerde', 'anwalt', 'aufgelegt', 'unglaublich', 'nicht wahr sein', 'nichts funktioniert'],
  intensifiers: ['frechheit', 'unverschämt', 'unglaublich', 'unmöglich', 'skandal', 'reicht', 'die nase voll', 'satt', 'absolut', 'echt', 'kann doch nicht wahr sein'],
};
