/**
 * Language identification data: function words and frequent character trigrams per language, and letters that only
 * some languages use. en, de and nb are analysed; the others are recognised so they are reported as themselves
 * instead of being forced into one of the three.
 */
export interface LangProfile {
  /** Function words, weight 1 each. */
  words: string[];
  /** Frequent or distinctive character trigrams (with `_` for a word edge), weight 0.25 each occurrence. */
  trigrams: string[];
  /** Letters or letter sequences typical of the language, weight 1.5 per occurrence. */
  marks?: string;
}

export const PROFILES: Record<string, LangProfile> = {
  en: {
    words: ['the', 'and', 'is', 'are', 'was', 'were', 'you', 'your', 'my', 'i', "i'm", "i've", 'to', 'of', 'it', "it's", 'not', 'have', 'has', 'been', 'for', 'with', 'this', 'that', 'please', 'thanks', 'thank', 'what', 'why', 'how', 'can', 'will', 'would', 'no', 'nobody', 'still', 'an', 'a', 'me', 'be', 'on', 'at', 'just', 'do', 'did', "didn't", "don't", "can't", 'from', 'they', 'we', 'our', 'hour', 'hours', 'minutes', 'days', 'weeks', 'waiting', 'waited', 'hold', 'after', 'about', 'since', 'when', 'which', 'there', 'here', 'some', 'any', 'yet', 'ever', 'really', 'all'],
    trigrams: ['_th', 'the', 'he_', 'ing', 'ng_', 'nd_', '_an', 'and', '_to', '_yo', 'you', 'ou_', '_wh', 'ed_', '_i_', 'is_', 'at_', '_wa', 'ly_', 'ght', 'ver', "'s_"],
  },
  de: {
    words: ['der', 'die', 'das', 'und', 'ist', 'ich', 'nicht', 'sie', 'mein', 'meine', 'meinen', 'ein', 'eine', 'einer', 'zu', 'mit', 'auf', 'für', 'habe', 'hat', 'wir', 'bitte', 'danke', 'hallo', 'warum', 'noch', 'auch', 'schon', 'wurde', 'keine', 'kein', 'seit', 'über', 'in', 'im', 'den', 'dem', 'des', 'von', 'sich', 'sind', 'war', 'wie', 'was', 'wo', 'du', 'ihr', 'euer', 'mir', 'mich', 'immer', 'jetzt', 'bei', 'aus', 'nach', 'vor', 'es', 'ja', 'nein', 'endlich', 'gar', 'minuten', 'stunden', 'tagen', 'wochen', 'gewartet', 'warte'],
    trigrams: ['sch', 'ich', 'ch_', 'ein', 'en_', 'er_', '_de', 'der', 'die', 'ie_', 'und', 'nd_', '_ge', 'cht', 'ung', 'ng_', '_ei', 'ei_', 'tz_', 'st_', 'ß', 'ü'],
    marks: 'ß|ü|ä(?=[a-zß])|ö(?=[a-zß])',
  },
  nb: {
    words: ['og', 'jeg', 'er', 'ikke', 'det', 'på', 'en', 'et', 'ei', 'til', 'med', 'har', 'min', 'mitt', 'mine', 'dere', 'deres', 'hei', 'takk', 'som', 'av', 'for', 'vi', 'hva', 'hvorfor', 'kan', 'fortsatt', 'ble', 'meg', 'deg', 'seg', 'ingen', 'noen', 'noe', 'etter', 'nå', 'ut', 'hjelp', 'mer', 'fått', 'svar', 'ventet', 'venta', 'timer', 'uker', 'dager', 'om', 'går', 'har', 'hvor', 'når', 'skal', 'din', 'ditt', 'dine', 'du', 'i', 'over', 'hele', 'helt', 'minutter', 'time', 'uke', 'dag', 'vente', 'venter', 'kommer', 'også', 'bare', 'helt', 'da', 'der', 'vår', 'hjelpe', 'gang', 'sjefen', 'tusen'],
    trigrams: ['_og', 'og_', 'jeg', 'eg_', 'kke', 'ikk', 'det', 'et_', 'er_', 'en_', '_på', 'på_', 'kj', 'gj', 'skj', 'øy', 'hv', 'ter', '_ve', 'ene'],
    marks: 'ø|æ|å',
  },
  da: {
    words: ['hvad', 'mig', 'dig', 'sig', 'af', 'meget', 'nogen', 'nogle', 'noget', 'efter', 'jer', 'jeres', 'nu', 'ud', 'op', 'tak', 'endnu', 'fået', 'købt', 'hjælp', 'kun', 'lige', 'mere', 'uger', 'dage', 'vores', 'hvornår', 'ikke', 'jeg', 'og', 'det', 'er', 'har', 'en', 'et', 'til', 'med', 'på', 'ventet', 'timer', 'minutter', 'helt', 'hele', 'over', 'i'],
    trigrams: ['acc', 'ej_', 'gt_', 'dt_', 'hvad', 'lig', 'nu_', 'ige', 'else', 'ning'],
    marks: 'uacceptab|accept|kunne ikke|sådan',
  },
  sv: {
    words: ['jag', 'inte', 'och', 'är', 'att', 'på', 'hur', 'varför', 'tack', 'från', 'för', 'mig', 'med', 'till', 'har', 'det', 'en', 'ett', 'som', 'vi', 'ni', 'er', 'min', 'mitt', 'två', 'timmar', 'minuter', 'dagar', 'veckor', 'väntat', 'väntar', 'svar', 'ingen', 'något', 'också', 'bara', 'kan', 'skulle', 'hej'],
    trigrams: ['_och', 'och', 'jag', 'ag_', 'är_', 'ntat', 'tt_', 'ar_', 'gen', 'äl'],
    marks: 'ä|ö',
  },
  fr: {
    words: ['je', "j'ai", 'le', 'la', 'les', 'de', 'des', 'du', 'et', 'est', 'pas', "c'est", 'plus', 'vous', 'que', 'qui', 'une', 'un', 'pour', 'dans', 'sur', 'avec', 'mon', 'ma', 'mes', 'votre', 'vos', 'ne', 'ai', 'attendu', 'merci', 'bonjour', 'depuis', 'toujours', 'aucune', 'réponse', 'heures', 'jours', 'semaines', 'il', 'elle', 'nous', 'ce', 'cette', 'très'],
    trigrams: ['_le', 'les', 'es_', '_de', 'de_', 'ent', 'nt_', '_qu', 'que', 'ue_', 'ion', 'eux', 'ous', 'our', "j'a", "c'e"],
    marks: 'é|è|ê|à|ç|ù|œ|ô',
  },
  es: {
    words: ['el', 'la', 'los', 'las', 'de', 'del', 'y', 'es', 'no', 'que', 'en', 'un', 'una', 'por', 'para', 'con', 'mi', 'su', 'he', 'esperado', 'horas', 'minutos', 'días', 'gracias', 'hola', 'pero', 'muy', 'todavía', 'ninguna', 'respuesta', 'estoy', 'está'],
    trigrams: ['_de', 'de_', 'os_', 'as_', '_la', 'la_', 'que', 'ue_', 'ión', 'ado', 'ent', '_es'],
    marks: 'ñ|¿|¡|á|í|ó|ú',
  },
  it: {
    words: ['il', 'lo', 'la', 'gli', 'le', 'di', 'del', 'della', 'e', 'è', 'non', 'che', 'un', 'una', 'per', 'con', 'mio', 'mia', 'ho', 'ore', 'minuti', 'giorni', 'grazie', 'ciao', 'ancora', 'nessuna', 'risposta', 'sono', 'atteso', 'aspettato'],
    trigrams: ['_di', 'di_', 'che', 'he_', '_il', 'il_', 'ell', 'lla', 'zio', 'one', 'ato', 'tto'],
    marks: 'ò|ì|ù|è',
  },
  nl: {
    words: ['de', 'het', 'een', 'en', 'is', 'niet', 'ik', 'je', 'jij', 'u', 'van', 'op', 'te', 'met', 'voor', 'mijn', 'heb', 'al', 'nog', 'geen', 'antwoord', 'uur', 'minuten', 'dagen', 'weken', 'gewacht', 'wachten', 'bedankt', 'dank', 'hallo', 'waarom', 'wel', 'zijn', 'maar'],
    trigrams: ['_he', 'het', 'et_', '_ee', 'een', 'en_', 'ij_', 'ijn', 'aa', 'oo', 'ee', 'cht', 'sch', '_va'],
  },
  pt: {
    words: ['o', 'a', 'os', 'as', 'de', 'do', 'da', 'e', 'é', 'não', 'que', 'um', 'uma', 'para', 'com', 'meu', 'minha', 'estou', 'esperando', 'horas', 'minutos', 'dias', 'obrigado', 'obrigada', 'olá', 'ainda', 'nenhuma', 'resposta'],
    trigrams: ['ção', 'ão_', '_do', 'do_', '_qu', 'que', 'nh', 'lh', 'os_', 'ent'],
    marks: 'ã|õ|ç',
  },
  pl: {
    words: ['i', 'w', 'na', 'nie', 'się', 'to', 'jest', 'że', 'z', 'do', 'od', 'mój', 'moja', 'czekam', 'godzin', 'minut', 'dni', 'dziękuję', 'dzień', 'dobry', 'już', 'jeszcze', 'żadnej', 'odpowiedzi'],
    trigrams: ['_ni', 'nie', 'ie_', 'się', 'prz', 'rz', 'sz', 'cz', 'ść', 'ch_'],
    marks: 'ą|ę|ł|ń|ś|ź|ż',
  },
  fi: {
    words: ['ja', 'on', 'ei', 'en', 'se', 'että', 'minä', 'olen', 'ole', 'odottanut', 'tuntia', 'minuuttia', 'päivää', 'kiitos', 'hei', 'vielä', 'mitään', 'vastausta', 'teidän', 'miksi'],
    trigrams: ['ää', 'aa', 'ii', 'uu', 'tta', 'ssa', 'sta', 'lla', 'ise', 'nen'],
    marks: 'ää|öö|yy',
  },
};
