import type { LangPack } from './types.js';

const FAMILY = "(?:father|mother|dad|mum|mom|husband|wife|son|daughter|brother|sister|grandfather|grandmother|grandad|granddad|grandpa|grandma|gran|partner|uncle|aunt|friend|baby|child|fiancée?|boyfriend|girlfriend)";

export const en: LangPack = {
  code: 'en',
  numbers: {
    a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
    eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
    nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
    hundred: 100, 'a hundred': 100, 'a couple of': 2, couple: 2, 'a dozen': 12, dozen: 12,
    'one and a half': 1.5, 'a half': 0.5, half: 0.5,
  },
  compounds: {
    tens: { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 },
    units: { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9 },
    templates: ['{t}-{u}', '{t} {u}'],
  },
  units: {
    sec: 1 / 60, secs: 1 / 60, second: 1 / 60, seconds: 1 / 60,
    min: 1, mins: 1, minute: 1, minutes: 1,
    h: 60, hr: 60, hrs: 60, hour: 60, hours: 60,
    day: 1440, days: 1440, week: 10080, weeks: 10080, fortnight: 20160, fortnights: 20160, wk: 10080, wks: 10080,
    month: 43200, months: 43200,
  },
  halfAfterNumber: [' and a half'],
  halfAfterUnit: [' and a half'],
  fixedDurations: [['half an hour', 30], ['a half hour', 30], ['half-an-hour', 30], ['a quarter of an hour', 15], ['quarter of an hour', 15], ['three quarters of an hour', 45]],
  approx: ['over', 'more than', 'about', 'around', 'almost', 'nearly', 'roughly', 'at least', 'well over', 'just over', 'a good', 'a solid', 'like', 'ca\\.?', 'approx\\.?', 'under', 'less than'],
  durationJoin: ['and', ','],
  futureBefore: ['in', 'within', 'in about', 'in around', 'in under', 'in less than', 'in the next', 'for the next', 'takes?', 'take about', 'takes about', 'will take', 'should take'],
  futureAfter: ['from now', 'time'],
  wait: {
    verbs: ['wait', 'waits', 'waited', 'waiting', 'kept waiting'],
    phrases: [
      'on hold', 'put on hold', 'hold music', 'in (?:the|your|a) queue', 'queued', 'queueing', 'queuing', 'stuck in (?:the|your|a) queue',
      'still no (?:reply|response|answer|word|update|refund|callback|call back)', 'still (?:haven\'t|have not|hasn\'t|has not|not) (?:heard|received|got|had)',
      'no (?:reply|response|answer|callback|call back)', 'nobody (?:has )?(?:replied|answered|responded|picked up|called back|got back)',
      'no one (?:has )?(?:replied|answered|responded|picked up|called back|got back)', 'no-one (?:has )?(?:replied|answered|responded|picked up|called back)',
      'never (?:came|replied|answered|called back|got back|heard back)', 'not (?:heard|had a reply|had an answer) (?:back|from you)',
      'haven\'t heard (?:back|anything)', 'took you [^.!?]{0,30}to (?:answer|reply|respond|get back|pick up)',
      'still waiting', 'waiting for ages', '(?:heard|had) nothing(?: back)?', '(?:minute|hour|min)s? (?:queue|wait|hold)', 'hung on (?:the line|hold)', 'hanging on (?:the line|hold)', 'on the line for', 'can\'t get through', 'cannot get through', 'couldn\'t get through', 'trying to reach (?:you|someone|anyone)', 'for ages', 'to get through', 'before anyone (?:answered|picked up|replied)',
    ],
  },
  deliveryWait: ['for (?:my|the|our|your|an?|this|that) (?:\\p{L}+ )?(?:order|orders|delivery|parcel|package|refund|money|replacement|repair|item|goods|shipment|credit|reimbursement|compensation)',
    'for (?:it|them|the (?:order|parcel|package|goods)) to (?:arrive|come|be delivered|ship|be shipped|turn up|show up)'],
  negations: ['not', 'never', 'no', "didn't", 'didnt', "don't", 'dont', "doesn't", "wasn't", "won't", "hardly", 'without', 'barely', "needn't", "n't"],
  negationBreakers: ['any longer', 'anymore', 'any more', 'no longer', 'much longer'],
  futureWait: ["i'll be waiting", 'i will be waiting', "i'll wait", 'i will wait', 'can wait', 'happy to wait', 'willing to wait', "i'm dying to", 'will be waiting'],
  soon: ['today', 'tonight', 'tomorrow', 'this (?:morning|afternoon|evening|week)', 'in (?:an?|\\d+|one|two|three|four|five|a few|a couple of) (?:minutes?|hours?|days?)', 'leaves', 'departs', 'boards', 'boarding', 'urgent(?:ly)?', 'asap', 'right now', 'by (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|tonight|noon|midnight)'],
  urgency: {
    bereavement: {
      strong: ['passed away', 'passed on', 'passed (?:last|this|yesterday|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))', 'funeral', 'deceased', 'bereave(?:d|ment)', 'death certificate', 'death in the family', 'my late (?:husband|wife|father|mother|dad|mum|mom|son|daughter|partner)',
        `${FAMILY} (?:has |had )?(?:died|just died|is dead|was killed)`, `${FAMILY} [\\p{L}' ]{0,25}(?:died|passed away)`, `lost my ${FAMILY}`],
    },
    medical: {
      strong: ['hospital', 'ambulance', 'emergency room', 'a&e', 'intensive care', 'icu', 'surgery', 'chemo(?:therapy)?', 'cancer', 'heart attack', 'stroke',
        'insulin', 'diabet(?:es|ic)', 'prescription', 'medication', 'medicine', 'seriously ill', 'very ill', 'very sick', 'in labou?r', 'pregnant', 'dialysis', 'chest pain', 'severe pain', 'in (?:a lot of )?pain', 'disabled', 'wheelchair', 'epilep(?:sy|tic)', 'seizure', 'oxygen'],
    },
    travel: {
      strong: ['boarding (?:now|in)', 'flight (?:leaves|departs|is) (?:in|at|today|tonight|tomorrow)'],
      weak: ['flight', 'plane', 'train', 'ferry', 'airport', 'fly(?:ing)?', 'boards', 'check-in', 'travel(?:l?ing)?', 'trip', 'coach'],
    },
    deadline: {
      strong: ['deadline', 'due (?:today|tomorrow|tonight)', 'expires? (?:today|tomorrow|tonight)', 'last day'],
      weak: ['appointment', 'interview', 'exam', 'court', 'hearing', 'visa', 'submit', 'tax return', 'closing', 'wedding', 'contract'],
    },
    safety: {
      strong: ['smell(?:s|ing)? (?:of )?gas', 'gas leak', 'carbon monoxide', 'smoke', 'smoking', 'on fire', 'caught fire', 'burning smell', 'sparks?', 'sparking',
        'electric shock', 'electrocuted', 'exploded', 'explosion', 'dangerous', 'unsafe', 'not safe', 'in danger', 'overheat(?:ed|ing)', 'melted', 'stalk(?:er|ing)', 'domestic violence', 'exposed wires?'],
    },
  },
  insults: ['idiot', 'idiots', 'moron', 'morons', 'imbecile', 'cretin', 'bitch', 'bitches', 'bastard', 'bastards', 'asshole', 'arsehole', 'ass', 'arse', 'cunt', 'twat', 'prick', 'dickhead', 'dick',
    'muppet', 'numpty', 'pillock', 'halfwit', 'nitwit', 'dimwit', 'bellend', 'piece of shit', 'piece of crap', 'scumbag', 'loser', 'clown', 'dumbass', 'jerk', 'wanker', 'tosser', 'pig', 'cow', 'whore', 'slut', 'stupid', 'dumb', 'thick'],
  addressees: ['you', "you're", 'you are', 'ur', 'your (?:agent|staff|colleague|rep|representative|advisor|adviser|operator|employee|manager|boss)',
    'the (?:agent|rep|representative|advisor|adviser|operator|woman|man|guy|girl|lady)(?: i spoke to| on the phone| on chat)?', 'she', 'he', 'listen'],
  abusePhrases: ['shut up', 'fuck you', 'fuck off', 'f off', 'screw you', 'go to hell', 'go fuck yourself', 'go die', 'kill yourself', 'kys', 'eat shit',
    'retard(?:ed|s)?', 'faggots?', 'fags?', 'tranny'],
  criticism: ['garbage', 'trash', 'rubbish', 'crap', 'crappy', 'shit', 'shitty', 'bullshit', 'useless', 'worst', 'incompetent', 'pathetic', 'a joke', 'a (?:complete|total|bad|sick|sad) joke', 'joke of a', 'crooks', 'cowboys', 'thieves', 'bunch of (?:crooks|amateurs|clowns|thieves|cowboys)', 'amateurs', 'laughable', 'scam', 'scammers?',
    'disgrace(?:ful)?', 'awful', 'terrible', 'horrible', 'atrocious', 'abysmal', 'a disaster', 'a mess', 'total mess', 'hopeless', 'appalling', 'shambles', 'shocking', 'sucks', 'fucking (?:app|website|site|product|company|service|system)', 'damn', 'bloody', 'should be ashamed', 'clowns', 'rip-?off'],
  threats: ['(?:i\'ll|i will|gonna|going to) (?:kill|hurt|beat|smash|stab|shoot) (?:you|someone|somebody|your|them)', 'find (?:out )?where you live', 'know where you live', 'watch your back', 'you(?:\'ll| will) regret',
    'hurt (?:you|someone|somebody|your)', 'kill (?:you|someone|somebody|your)', 'burn (?:down|your)', 'bring a (?:gun|knife)', 'wait for you outside', 'waiting for you outside', 'smash your', 'beat you', 'punch you', 'know where your office is', 'smash (?:up )?(?:your|the place)', 'you(?:\'ll| will) get (?:what\'s coming|hurt)', 'set fire to'],
  positive: ['thanks?', 'thank you', 'great', 'helpful', 'quickly', 'quick (?:reply|response|help|service|answer)', 'excellent', 'brilliant', 'lovely', 'love', 'perfect', 'amazing', 'fantastic', 'wonderful', 'appreciated?', 'sorted', 'fixed', 'happy', 'pleased', 'awesome', 'superb', 'kind', 'friendly', 'dying to', 'can\'t wait to', 'looking forward', 'excited'],
  negative: ['still', 'nobody', 'no one', 'never', 'unacceptable', 'ridiculous', 'unbelievable', 'angry', 'annoyed', 'frustrat(?:ed|ing)', 'disappointed', 'wrong', 'broken', 'faulty', 'lost', 'down', 'unpaid', 'cut off', 'again', 'crash(?:es|ed)?', "won't", "doesn't work", 'not working', "don't have", 'problem', 'complain(?:t)?', 'report you', 'ombudsman', 'lawyer', 'sue'],
  intensifiers: ['ridiculous', 'unbelievable', 'unacceptable', 'outrageous', 'absurd', 'disgusting', 'fed up', 'sick of', 'enough', 'joke', 'seriously', 'absolutely', 'worst'],
};
